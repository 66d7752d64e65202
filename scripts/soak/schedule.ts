// The soak's fault schedule: one phase per fault, each of the same length, the fault set a tenth
// into the phase and healed (or the process brought back) before its end; events are logged.
import type { HostRegion, RegionMember } from '../hosts/host-region';
import type { Placement } from '../hosts/placement';
import type { PrivateRedis } from './redis';

export interface FaultContext {
  region: HostRegion;
  placement: Placement;
  redis?: PrivateRedis;
  /** Takes a gateway replica out of the callers' rotation, or puts it back. */
  rotation: { remove(i: number): void; restore(i: number): void };
  event(what: string): void;
  sleep(ms: number): Promise<void>;
}

export interface Phase {
  name: string;
  /** Sets the fault and heals it, within `lengthMs` when the processes allow. */
  run?: (ctx: FaultContext, lengthMs: number) => Promise<void>;
}

const member = (ctx: FaultContext, i: number): RegionMember =>
  ctx.region.members[i % ctx.region.members.length] as RegionMember;

async function killAndRestart(ctx: FaultContext, length: number) {
  const m = member(ctx, 0);
  ctx.event(`SIGKILL to municipality ${m.code}`);
  m.server.signal('SIGKILL');
  await ctx.sleep(length * 0.3);
  ctx.event(`municipality ${m.code} started again`);
  m.server.start();
  await m.server.ready();
  ctx.event(`municipality ${m.code} ready`);
}

async function stallAndResume(ctx: FaultContext, length: number) {
  const m = member(ctx, 1);
  ctx.event(`SIGSTOP to municipality ${m.code}`);
  m.server.signal('SIGSTOP');
  await ctx.sleep(length * 0.5);
  m.server.signal('SIGCONT');
  ctx.event(`SIGCONT to municipality ${m.code}`);
}

async function partitionAndHeal(ctx: FaultContext, length: number) {
  const m = member(ctx, 2);
  if (ctx.placement.partition(m.host)) ctx.event(`link of municipality ${m.code} set down`);
  else {
    ctx.region.setFaults(m, { refused: true });
    ctx.event(
      `municipality ${m.code} cut off (loopback has no link: its fault proxy refuses every connection)`,
    );
  }
  await ctx.sleep(length * 0.5);
  if (ctx.placement.heal(m.host)) ctx.event(`link of municipality ${m.code} set up`);
  else {
    ctx.region.setFaults(m, { refused: false });
    ctx.event(`municipality ${m.code} reachable again`);
  }
}

async function addedLatency(ctx: FaultContext, length: number) {
  const m = member(ctx, 0);
  ctx.region.setFaults(m, { latencyMs: 300 });
  ctx.event(`+300 ms latency on municipality ${m.code}`);
  await ctx.sleep(length * 0.6);
  ctx.region.setFaults(m, { latencyMs: 0 });
  ctx.event(`latency on municipality ${m.code} removed`);
}

async function lossyLink(ctx: FaultContext, length: number) {
  const m = member(ctx, 1);
  ctx.region.setFaults(m, { loss: 0.2 });
  ctx.event(`municipality ${m.code}'s link loses connections: a fifth of the calls sent to it are cut`);
  await ctx.sleep(length * 0.6);
  ctx.region.setFaults(m, { loss: 0 });
  ctx.event(`municipality ${m.code}'s link no longer loses connections`);
}

async function restartReplica(ctx: FaultContext) {
  const i = ctx.region.gateways.length - 1;
  const replica = ctx.region.gateways[i];
  if (!replica || ctx.region.gateways.length < 2) {
    ctx.event('one gateway replica only: its restart is skipped (callers would have nowhere to go)');
    return;
  }
  ctx.rotation.remove(i);
  ctx.event(`gateway replica ${i} out of rotation; SIGTERM (drain)`);
  await replica.stop('SIGTERM');
  replica.start();
  await replica.ready();
  ctx.rotation.restore(i);
  ctx.event(`gateway replica ${i} ready and back in rotation`);
}

async function restartRedis(ctx: FaultContext, length: number) {
  if (!ctx.redis) {
    ctx.event('redis-server is not installed here: the Redis restart is not run');
    return;
  }
  ctx.event('Redis stopped');
  await ctx.redis.restart(length * 0.3);
  ctx.event('Redis started again');
}

async function registryDown(ctx: FaultContext, length: number) {
  const downMs = Math.min(60_000, length * 0.6);
  ctx.event(`registry stopped for ${(downMs / 1000).toFixed(0)} s`);
  await ctx.region.registry.stop('SIGTERM');
  await ctx.sleep(downMs);
  ctx.region.registry.start();
  await ctx.region.registry.ready();
  ctx.event('registry ready again');
}

export const PHASES: readonly Phase[] = [
  { name: 'warm-up' },
  { name: 'steady' },
  { name: 'municipality killed (SIGKILL) and restarted', run: killAndRestart },
  { name: 'municipality stalled (SIGSTOP, SIGCONT)', run: stallAndResume },
  { name: 'link partitioned, then healed', run: partitionAndHeal },
  { name: '+300 ms latency on one member', run: addedLatency },
  { name: 'lossy link to one member', run: lossyLink },
  { name: 'gateway replica restarted', run: restartReplica },
  { name: 'Redis restarted', run: restartRedis },
  { name: 'registry down', run: registryDown },
  { name: 'recovery' },
];

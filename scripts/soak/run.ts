// Runs a soak: starts a region (loopback processes, or namespaces with --hosts), drives the mix
// through every phase of the fault schedule, resolves every write, then checks the registers and
// the audit chains. Answers the summary the report and the reliability test read.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHostRegion } from '../hosts/host-region';
import { loopbackPlacement, namespacePlacement, type Placement } from '../hosts/placement';
import { type ServerDatabases, SOAK_DATABASE_PREFIX, serverDatabases } from '../hosts/server-databases';
import { hostsShape } from '../hosts/shape';
import { generateRegion } from '../seed/region';
import { type AuditCheck, checkAuditChains, checkWrites, type WriteCheck } from './checks';
import { quantile, SoakRecorder } from './record';
import { startPrivateRedis } from './redis';
import { PHASES } from './schedule';
import { SoakWorkload } from './workload';

export interface SoakOptions {
  minutes: number;
  hosts: boolean;
  members?: number;
  replicas?: number;
  readers?: number;
  /**
   * A pause after each read of every reader (0, the default, reads back to back). The in-suite soak
   * paces its readers so that it does not take both cores from the rest of the suite.
   */
  readerPauseMs?: number;
  /**
   * A PostgreSQL server on which the registry and every member get a fresh database of their own
   * (dropped at the end); without one, each keeps an embedded PGlite database in the data folder.
   */
  databaseServer?: string;
  log?: (line: string) => void;
}

export interface SoakSummary {
  options: {
    minutes: number;
    hosts: boolean;
    members: number;
    replicas: number;
    readers: number;
    readerPauseMs: number;
    databases: 'server' | 'embedded';
  };
  startupSeconds: number;
  recorder: SoakRecorder;
  writes: WriteCheck;
  audits: AuditCheck[];
  uncodedReads: number;
  rss: { baselineBytes: number; endBytes: number; peakBytes: number; growth: number };
  redis: 'restarted' | 'absent';
}

const median = (values: readonly number[]) => quantile(values, 0.5);
/** Requests the warm-up phase waits for beyond its length, and for how long at most. */
const WARM_UP_REQUESTS = 300;
const WARM_UP_MAX_EXTRA_MS = 120_000;

/**
 * Why the soak cannot keep its records on `serverUrl`, or null: processes in network namespaces
 * cannot reach a server on the host's loopback.
 */
export function databaseServerProblem(serverUrl: string, hosts: boolean): string | null {
  let host: string;
  try {
    host = new URL(serverUrl).hostname;
  } catch {
    return `--database-server ${JSON.stringify(serverUrl.slice(0, 200))} is not a URL (postgres://user@host:port/database)`;
  }
  if (hosts && (host === 'localhost' || host.startsWith('127.') || host === '[::1]'))
    return `--database-server ${host} is the host's loopback, which processes in network namespaces cannot reach: give an address on the namespaces' bridge, or run without --hosts`;
  return null;
}

/** A database per member and one for the registry on `serverUrl`, four connections each. */
async function soakDatabases(serverUrl: string, members: number, hosts: boolean): Promise<ServerDatabases> {
  const problem = databaseServerProblem(serverUrl, hosts);
  if (problem) throw new Error(problem);
  const codes = [...hostsShape(members, 1).municipalities.map((m) => m.code), 'registry'];
  const made = await serverDatabases(serverUrl, codes, 4, {
    prefix: `${SOAK_DATABASE_PREFIX}${process.pid}`,
  });
  if ('refused' in made) throw new Error(made.refused);
  return made;
}

export async function runSoak(options: SoakOptions): Promise<SoakSummary> {
  const log = options.log ?? console.log;
  const members = options.members ?? 3;
  const replicas = options.replicas ?? 2;
  const readers = options.readers ?? 3;
  const readerPauseMs = options.readerPauseMs ?? 0;
  const lengthMs = (options.minutes * 60_000) / PHASES.length;
  const databases = options.databaseServer
    ? await soakDatabases(options.databaseServer, members, options.hosts)
    : undefined;
  const placement: Placement = options.hosts ? namespacePlacement(log) : loopbackPlacement();
  const dataDir = mkdtempSync(join(tmpdir(), 'crossgate-soak-'));
  const redisPort = 16_379 + Math.floor(Math.random() * 2000);
  mkdirSync(join(dataDir, 'logs'), { recursive: true });
  const redis = await startPrivateRedis(
    placement.hostAddress,
    redisPort,
    join(dataDir, 'logs', 'redis.log'),
  ).catch(async (e) => {
    await databases?.drop();
    throw e;
  });
  const started = Date.now();
  const region = await startHostRegion({
    placement,
    members,
    replicas,
    dataDir,
    faults: true,
    perMember: 30,
    ...(databases
      ? {
          memberDatabase: databases.urlOf,
          registryDatabase: databases.urlOf('registry'),
          memberEnv: { DATABASE_POOL_SIZE: String(databases.poolSize) },
          registryEnv: { DATABASE_POOL_SIZE: String(databases.poolSize) },
        }
      : {}),
    gatewayEnv: {
      ...(redis ? { REDIS_URL: redis.url } : {}),
      SHARD_TIMEOUT_MS: '3000',
      HEALTH_PROBE_MS: '2000',
      BREAKER_COOL_DOWN_MS: '4000',
    },
  }).catch(async (e) => {
    await redis?.stop();
    await databases?.drop();
    throw e;
  });
  const startupSeconds = (Date.now() - started) / 1000;
  log(
    `region up in ${startupSeconds.toFixed(0)} s; ${PHASES.length} phases of ${(lengthMs / 1000).toFixed(0)} s`,
  );
  const recorder = new SoakRecorder(Date.now, log);
  const out = new Set<number>();
  const codes = region.shape.municipalities.map((m) => m.code);
  const runId = randomBytes(3).toString('hex');
  const officerTokens: Record<string, string> = Object.fromEntries(
    await Promise.all(
      codes.map(async (code) => [
        code,
        await region.token({ subject: `soak-officer-${code}`, role: 'officer', municipality: code }),
      ]),
    ),
  );
  const workload = new SoakWorkload({
    gateways: {
      inService: () =>
        region.gateways
          .map((_, i) => i)
          .filter((i) => !out.has(i))
          .map(region.gatewayUrl),
    },
    recorder,
    region: generateRegion(region.shape),
    runId,
    employerToken: await region.token({ subject: 'soak-employer', role: 'employer' }),
    analystToken: await region.token({ subject: 'soak-analyst', role: 'analyst' }),
    officerTokens,
    random: Math.random,
  });
  const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
  let running = true;
  const readerLoops = Array.from({ length: readers }, async () => {
    while (running) {
      await workload.readOnce();
      if (readerPauseMs > 0) await sleep(readerPauseMs);
    }
  });
  const writerLoop = (async () => {
    while (running) {
      const before = workload.unresolved().length;
      await workload.writeOnce();
      await sleep(workload.unresolved().length > before || before > 0 ? 1000 : 200);
    }
  })();
  let failed = false;
  // Every 2 s, or ten samples a phase when phases are shorter (the RSS check takes medians of two phases).
  const sampleMs = Math.max(500, Math.min(2000, lengthMs / 10));
  const sampler = setInterval(() => recorder.rss(region.gateways[0]?.rssBytes()), sampleMs);
  try {
    for (const phase of PHASES) {
      recorder.startPhase(phase.name);
      const phaseEnd = sleep(lengthMs);
      if (phase.run) {
        await sleep(lengthMs * 0.1);
        await phase.run(
          {
            region,
            placement,
            redis,
            rotation: { remove: (i) => out.add(i), restore: (i) => out.delete(i) },
            event: (what) => recorder.event(what),
            sleep,
          },
          lengthMs,
        );
      }
      await phaseEnd;
      // The RSS baseline is taken in the phase after the warm-up: a short run on a loaded machine
      // may answer only a handful of requests in its warm-up, so the warm-up goes on (bounded)
      // until the gateways have answered enough requests to be warm.
      if (phase === PHASES[0]) {
        const limit = Date.now() + WARM_UP_MAX_EXTRA_MS;
        while ((recorder.current?.requests ?? 0) < WARM_UP_REQUESTS && Date.now() < limit) await sleep(200);
      }
    }
    recorder.finish();
    running = false;
    await Promise.all([...readerLoops, writerLoop]);
    // Writes whose outcome is unknown are sent again with their key until answered (bounded).
    const deadline = Date.now() + 180_000;
    while (workload.unresolved().length > 0 && Date.now() < deadline) {
      await workload.writeOnce();
      await sleep(500);
    }
    clearInterval(sampler);
    const writes = await checkWrites(workload, (code) => officerTokens[code] as string, runId);
    await region.close();
    const audits = checkAuditChains(region.members);
    const samples = recorder.phases.map((p) => p.rssBytes);
    const baselineBytes = median(samples[1] ?? []);
    const endBytes = median(samples.at(-1) ?? []);
    return {
      options: {
        minutes: options.minutes,
        hosts: options.hosts,
        members,
        replicas,
        readers,
        readerPauseMs,
        databases: databases ? 'server' : 'embedded',
      },
      startupSeconds,
      recorder,
      writes,
      audits,
      uncodedReads: recorder.phases.reduce((n, p) => n + p.uncodedReads, 0),
      rss: {
        baselineBytes,
        endBytes,
        peakBytes: Math.max(0, ...samples.flat()),
        growth: baselineBytes > 0 ? endBytes / baselineBytes - 1 : Number.NaN,
      },
      redis: redis ? 'restarted' : 'absent',
    };
  } catch (e) {
    failed = true;
    throw e;
  } finally {
    running = false;
    clearInterval(sampler);
    await region.close();
    await redis?.stop();
    await databases?.drop();
    // A failed run keeps its data folder: the processes' logs (and embedded databases) say what went
    // wrong. Databases on a server are dropped either way.
    if (failed) log(`the run failed; its logs${databases ? '' : ' and databases'} are kept in ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  }
}

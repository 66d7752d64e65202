// Where the region's processes run: all on loopback (no privileges), or each in a network
// namespace of its own on a bridge (10.213.0.0/16), made and removed here; a partition is a link down.
import { execFileSync } from 'node:child_process';
import { loopbackPortIsFree } from '../free-port';

export interface Host {
  name: string;
  /** The address its listeners bind and others reach it at. */
  address: string;
  /** The program and arguments that run `program args` on this host. */
  wrap(program: string, args: string[]): [string, string[]];
  /** A port free on this host for a listener. */
  port(preferred: number): Promise<number>;
}

export interface Placement {
  kind: 'loopback' | 'namespaces';
  /** The address the driver, on the machine itself, reaches the hosts from. */
  hostAddress: string;
  host(name: string): Host;
  /** Cuts the host's link (namespaces); false where links cannot be cut. */
  partition(host: Host): boolean;
  heal(host: Host): boolean;
  close(): void;
}

/** Linux's default ephemeral range starts here (net.ipv4.ip_local_port_range). */
const EPHEMERAL_FROM = 32768;

/**
 * Ports for a region on loopback, each handed out once, from below the ephemeral range. A region's
 * ports are chosen before its processes start, and a large one starts over minutes: a port the
 * system picked as free (port 0) is ephemeral, and any outgoing connection may take it meanwhile.
 * Seen at 100 members: a member's port was taken before it listened, it exited on EADDRINUSE, and
 * another process answered its readiness.
 */
function loopbackPorts(): () => Promise<number> {
  let next = 20_000 + Math.floor(Math.random() * 8_000);
  return async () => {
    while (next < EPHEMERAL_FROM) {
      const port = next++;
      if (await loopbackPortIsFree(port)) return port;
    }
    throw new Error(`no free loopback port left below ${EPHEMERAL_FROM}`);
  };
}

export function loopbackPlacement(): Placement {
  const port = loopbackPorts();
  return {
    kind: 'loopback',
    hostAddress: '127.0.0.1',
    host: (name) => ({
      name,
      address: '127.0.0.1',
      wrap: (program, args) => [program, args],
      port,
    }),
    partition: () => false,
    heal: () => false,
    close: () => {},
  };
}

const PREFIX = 'cg-';
const BRIDGE = 'cg-br0';
const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();

/** Removes every namespace and link a previous run left behind (it may have crashed). */
export function removeLeftovers(): string[] {
  const removed: string[] = [];
  for (const line of ip('netns', 'list').split('\n')) {
    const ns = line.split(' ')[0] ?? '';
    if (ns.startsWith(PREFIX)) {
      ip('netns', 'delete', ns);
      removed.push(ns);
    }
  }
  for (const line of ip('-o', 'link', 'show').split('\n')) {
    const link = line.split(': ')[1]?.split('@')[0] ?? '';
    if (!link.startsWith(PREFIX)) continue;
    try {
      ip('link', 'delete', link);
      removed.push(link);
    } catch {
      // a veth goes by itself with its namespace's end, sometimes between the listing and here
    }
  }
  return removed;
}

/** Namespaces on one bridge; the machine itself is 10.213.0.1, host i is 10.213.(i / 250).(i % 250 + 2). */
export function namespacePlacement(log: (line: string) => void = console.log): Placement {
  if (process.getuid?.() !== 0)
    throw new Error('network namespaces need root: run it as root, or without --hosts');
  const left = removeLeftovers();
  if (left.length > 0) log(`removed ${left.length} namespaces and links a previous run left behind`);
  ip('link', 'add', BRIDGE, 'type', 'bridge');
  ip('addr', 'add', '10.213.0.1/16', 'dev', BRIDGE);
  ip('link', 'set', BRIDGE, 'up');
  const hosts = new Map<string, { host: Host; link: string }>();
  const placement: Placement = {
    kind: 'namespaces',
    hostAddress: '10.213.0.1',
    host(name) {
      const known = hosts.get(name);
      if (known) return known.host;
      const i = hosts.size;
      const ns = `${PREFIX}${name}`.slice(0, 30);
      const link = `${PREFIX}v${i}`;
      const address = `10.213.${Math.floor(i / 250)}.${(i % 250) + 2}`;
      ip('netns', 'add', ns);
      ip('link', 'add', link, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
      ip('link', 'set', link, 'master', BRIDGE);
      ip('link', 'set', link, 'up');
      ip('-n', ns, 'addr', 'add', `${address}/16`, 'dev', 'eth0');
      ip('-n', ns, 'link', 'set', 'eth0', 'up');
      ip('-n', ns, 'link', 'set', 'lo', 'up');
      const host: Host = {
        name,
        address,
        wrap: (program, args) => ['ip', ['netns', 'exec', ns, program, ...args]],
        port: async (preferred) => preferred,
      };
      hosts.set(name, { host, link });
      return host;
    },
    partition(host) {
      const entry = hosts.get(host.name);
      if (!entry) return false;
      ip('link', 'set', entry.link, 'down');
      return true;
    },
    heal(host) {
      const entry = hosts.get(host.name);
      if (!entry) return false;
      ip('link', 'set', entry.link, 'up');
      return true;
    },
    close() {
      removeLeftovers();
      hosts.clear();
    },
  };
  return placement;
}

// A real HAProxy in front of gateway replicas for the replica tests: found on the machine, installed
// with apt when missing and running as root, or a failure that says how to provide it.
import { execFileSync, execSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Spawned, spawnProgram } from './processes';

const CANDIDATES = [
  '/usr/sbin/haproxy',
  '/usr/bin/haproxy',
  '/usr/local/sbin/haproxy',
  '/usr/local/bin/haproxy',
];

function findHaproxy(): string | undefined {
  if (process.env.HAPROXY_BIN && existsSync(process.env.HAPROXY_BIN)) return process.env.HAPROXY_BIN;
  return CANDIDATES.find((p) => existsSync(p));
}

/** The HAProxy binary; installs Debian's package when it is missing and this process may. */
export function haproxyBinary(): string {
  const found = findHaproxy();
  if (found) return found;
  if (process.getuid?.() === 0) {
    try {
      execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy', {
        stdio: 'ignore',
        timeout: 300_000,
      });
    } catch {
      // reported below
    }
  }
  const installed = findHaproxy();
  if (installed) return installed;
  throw new Error(
    'HAProxy is needed by the replica test and is not installed (and could not be installed with apt). ' +
      'Install the Debian package haproxy, set HAPROXY_BIN, or run the services of deploy/compose.yaml.',
  );
}

/**
 * The load balancer the deployment uses: round robin over replicas checked on /readyz; a request
 * whose connection fails or gets an empty answer is retried, on another replica (redispatch).
 * A stopped replica is seen at the next check (refused, or 503 while it drains); a live one that
 * is slow to answer on a loaded machine is given `timeout check` (without it, the check interval
 * of 300 ms is also its timeout, and one slow answer from each replica leaves no server: 503).
 */
export function haproxyConfig(port: number, replicas: readonly number[]): string {
  return `global
  maxconn 2000

defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  timeout check 10s
  retries 3
  option redispatch 1
  retry-on conn-failure empty-response response-timeout
  option http-buffer-request

frontend crossgate
  bind 127.0.0.1:${port}
  default_backend gateways

backend gateways
  balance roundrobin
  option httpchk GET /readyz
  http-check expect status 200
${replicas.map((p, i) => `  server gateway${i + 1} 127.0.0.1:${p} check inter 300ms fall 1 rise 2`).join('\n')}
`;
}

export function startHaproxy(port: number, replicas: readonly number[]): Spawned {
  const binary = haproxyBinary();
  const dir = mkdtempSync(join(tmpdir(), 'crossgate-haproxy-'));
  const config = join(dir, 'haproxy.cfg');
  writeFileSync(config, haproxyConfig(port, replicas));
  execFileSync(binary, ['-c', '-q', '-f', config]);
  return spawnProgram(binary, ['-db', '-f', config]);
}

// A private redis-server for the soak, on its own port, which the schedule restarts; absent when
// the machine has no redis-server (the report then says the Redis restart was not run).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { connect } from 'node:net';

export interface PrivateRedis {
  url: string;
  restart(downMs: number): Promise<void>;
  stop(): Promise<void>;
}

function hasRedisServer(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function accepting(host: string, port: number, boundMs = 60_000): Promise<void> {
  const deadline = Date.now() + boundMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, host);
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`redis-server on ${host}:${port} did not accept connections within ${boundMs / 1000} s`);
}

/** Starts redis-server on `host:port` without persistence, or answers undefined when it is not installed. */
export async function startPrivateRedis(
  host: string,
  port: number,
  logFile?: string,
): Promise<PrivateRedis | undefined> {
  if (!hasRedisServer()) return undefined;
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        host,
        '--save',
        '',
        '--appendonly',
        'no',
        ...(logFile ? ['--logfile', logFile] : []),
      ],
      {
        stdio: 'ignore',
      },
    );
    await accepting(host, port);
  };
  const stop = async () => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGTERM');
    });
  };
  await start();
  return {
    url: `redis://${host}:${port}`,
    async restart(downMs) {
      await stop();
      await new Promise((r) => setTimeout(r, downMs));
      await start();
    },
    stop,
  };
}

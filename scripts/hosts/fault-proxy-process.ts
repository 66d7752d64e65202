// A fault proxy as a process of its own, on a member's host: PROXY_LISTEN and PROXY_TARGET as
// host:port; each line on stdin is a JSON change of its faults; it prints one line when listening.
import { createInterface } from 'node:readline';
import { type FaultSettings, startFaultProxy } from './fault-proxy';

function endpoint(name: string): { host: string; port: number } {
  const value = process.env[name] ?? '';
  const at = value.lastIndexOf(':');
  const port = Number(value.slice(at + 1));
  if (at < 1 || !Number.isInteger(port)) throw new Error(`${name} must be host:port; received "${value}"`);
  return { host: value.slice(0, at), port };
}

async function main() {
  const proxy = await startFaultProxy(endpoint('PROXY_LISTEN'), endpoint('PROXY_TARGET'));
  console.log(`fault proxy listening on port ${proxy.port}`);
  createInterface({ input: process.stdin }).on('line', (line) => {
    try {
      proxy.set(JSON.parse(line) as Partial<FaultSettings>);
    } catch (e) {
      console.error(`fault proxy: ignored a change that is not JSON: ${(e as Error).message}`);
    }
  });
  process.stdin.on('end', () => void proxy.close().then(() => process.exit(0)));
  process.on('SIGTERM', () => void proxy.close().then(() => process.exit(0)));
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});

// npm run region:hosts [-- --members N --replicas G]: the registry, each municipality (behind its
// fault proxy) and each gateway replica in a network namespace of its own (root only), until Ctrl-C.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startHostRegion } from './hosts/host-region';
import { namespacePlacement } from './hosts/placement';

async function main() {
  const { values } = parseArgs({
    options: { members: { type: 'string', default: '3' }, replicas: { type: 'string', default: '1' } },
  });
  const placement = namespacePlacement();
  const dataDir = mkdtempSync(join(tmpdir(), 'crossgate-hosts-'));
  console.log(
    `Starting ${values.members} municipalities, the registry and ${values.replicas} gateway(s) on hosts of their own…`,
  );
  const region = await startHostRegion({
    placement,
    members: Number(values.members),
    replicas: Number(values.replicas),
    dataDir,
    faults: true,
  }).catch((e) => {
    placement.close();
    throw e;
  });
  const stop = async () => {
    await region.close();
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  const officer = await region.token({ subject: 'hosts-officer', role: 'officer', municipality: 'NB' });
  console.log(`
The region is up; every process has its own network namespace and address.
  Registry:  ${region.registry.spec.readyUrl.replace('/readyz', '/graphql')}
${region.gateways.map((_, i) => `  Gateway ${i}: ${region.gatewayUrl(i)}`).join('\n')}
${region.members.map((m) => `  ${m.code.padEnd(4)} ${m.origin}  (fault proxy; the server listens on the host's loopback)`).join('\n')}

An officer's token for NB (24 h):
  ${officer}

Try: curl -s ${region.gatewayUrl(0)} -H 'content-type: application/json' \\
  -H "authorization: Bearer $TOKEN" -d '{"query":"{ credentials(first: 3) { totalCount } }"}'
Logs: ${join(dataDir, 'logs')}
Press Ctrl-C to stop; the namespaces are removed on exit (and at the next start after a crash).`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});

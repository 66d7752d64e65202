// npm run soak -- --minutes M [--hosts] [--members N] [--database-server URL] [--out FILE]: the soak
// with faults on a schedule (see RELIABILITY.md); --hosts runs every process in a network namespace
// (root only); --database-server keeps the registry's and members' records on that PostgreSQL
// server, a fresh database each, instead of embedded PGlite.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { soakReport, soakVerdicts } from './soak/report';
import { runSoak } from './soak/run';

async function main() {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '10' },
      hosts: { type: 'boolean', default: false },
      members: { type: 'string', default: '3' },
      'database-server': { type: 'string' },
      out: { type: 'string', default: 'RELIABILITY.md' },
    },
  });
  const minutes = Number(values.minutes);
  if (!(minutes >= 1))
    throw new Error(`--minutes must be a number of at least 1; received ${values.minutes}`);
  const databaseServer = values['database-server'];
  const summary = await runSoak({
    minutes,
    hosts: values.hosts,
    members: Number(values.members),
    ...(databaseServer ? { databaseServer } : {}),
  });
  const command = `npm run soak -- --minutes ${minutes}${values.hosts ? ' --hosts' : ''} --members ${values.members}${databaseServer ? ' --database-server URL' : ''}`;
  writeFileSync(values.out, soakReport(summary, command));
  const verdicts = soakVerdicts(summary);
  for (const v of verdicts) console.log(`${v.held ? 'held  ' : 'FAILED'} ${v.what}`);
  console.log(`report written to ${values.out}`);
  process.exit(verdicts.every((v) => v.held) ? 0 : 1);
}

// Ctrl-C exits through the region's exit hook, which stops its processes and removes its namespaces.
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));

main().catch((e) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(2);
});

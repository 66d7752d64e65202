// Verifies a municipality's audit chain: `npm run verify-audit -- <database>` (a PGlite directory
// or a PostgreSQL URL). Exits 0 when every entry holds, 1 naming the first tampered entry.
import { openPostgres, pgConnectionOf } from '../common/postgres';
import { createNativeAuditStore } from '../subgraphs/municipal/adapters/native/audit';
import { verifyChain } from '../subgraphs/municipal/audit/chain';

const PROBLEMS = {
  'content-changed': 'its content no longer matches its hash (the row was edited)',
  'link-broken': 'it does not point at the previous entry (a row before it was replaced or removed)',
  gap: 'the sequence skips here (entries were removed)',
} as const;

async function main() {
  const database = process.argv[2];
  if (!database) {
    console.error('Usage: npm run verify-audit -- <PGlite directory | postgres://…>');
    process.exit(2);
  }
  const handle = await openPostgres(pgConnectionOf(database));
  try {
    const entries = await (await createNativeAuditStore(handle)).readAll();
    const verdict = verifyChain(entries);
    if (verdict.ok) {
      console.log(`audit chain intact: ${verdict.entries} entries`);
      return 0;
    }
    const entry = entries.find((e) => e.seq === verdict.seq);
    console.error(`audit chain BROKEN at entry ${verdict.seq}: ${PROBLEMS[verdict.problem]}`);
    if (entry)
      console.error(`  entry ${entry.seq}: ${entry.at} ${entry.subject} (${entry.role}) ${entry.decision}`);
    return 1;
  } finally {
    await handle.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(2);
  },
);

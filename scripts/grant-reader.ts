// npm run grant:reader -- <adapter> <owner database address>
// The setup step of least privilege: creates the read-only login a municipality's subgraph reads
// through and prints its address, to be given to the subgraph as READER_DATABASE.
import { LEGACY_ADAPTERS, type LegacyAdapterName } from '../subgraphs/municipal/adapters';

async function main() {
  const [name, database] = process.argv.slice(2);
  const adapter = name ? LEGACY_ADAPTERS[name as LegacyAdapterName] : undefined;
  if (!adapter || !database) {
    throw new Error(
      `Usage: npm run grant:reader -- <${Object.keys(LEGACY_ADAPTERS).join('|')}> <owner database address>; received ${JSON.stringify(process.argv.slice(2))}`,
    );
  }
  console.log(await adapter.readOnlyAccess(database));
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});

// npm run grant:reader -- [<adapter>] <owner database address>
// The setup step of least privilege: creates the read-only login a municipality's subgraph reads
// through and prints its address, to be given to the subgraph as READER_DATABASE. Any adapter, built
// in or just scaffolded: the login depends on the engine the address names, not on the mapping.
import { mysqlReader, postgresReader } from '../subgraphs/municipal/adapters/reader-logins';

/** The schemas a PostgreSQL reader may read: `--schemas a,b`, default public. */
function schemasOf(args: readonly string[]): string[] {
  const flag = args.find((a) => a.startsWith('--schemas='));
  return flag ? flag.slice('--schemas='.length).split(',') : ['public'];
}

async function main() {
  const args = process.argv.slice(2);
  const positional = args.filter((a) => !a.startsWith('--'));
  const database = positional[positional.length - 1];
  if (!database || positional.length > 2)
    throw new Error(
      `Usage: npm run grant:reader -- [<adapter>] <owner database address> [--schemas=a,b]; received ${JSON.stringify(args)}`,
    );
  if (/^postgres(ql)?:\/\//.test(database)) console.log(await postgresReader(database, schemasOf(args)));
  else if (/^mysql:\/\//.test(database)) console.log(await mysqlReader(database));
  // A SQLite file or a PGlite directory has no logins: the subgraph opens it read-only.
  else console.log(database);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});

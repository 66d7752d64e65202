// npm run compose: composes schema/*.graphql into schema/supergraph.graphql.
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { composeContract, SUPERGRAPH_PATH } from '../schema/contract';

const outcome = composeContract();
if (!outcome.ok) {
  console.error(`Composition failed with ${outcome.errors.length} error(s):\n`);
  for (const e of outcome.errors) console.error(`  - ${e}`);
  process.exit(1);
}
writeFileSync(SUPERGRAPH_PATH, outcome.supergraphSdl);
console.log(`Wrote ${relative(process.cwd(), SUPERGRAPH_PATH)}`);

// The main lookups of the PostgreSQL adapter use its indexes: EXPLAIN on a real server, on the very
// statements the store sends (by id, a keyset page, a holder lookup by regional holder id).
import type { Logger as DrizzleLogger } from 'drizzle-orm';
import { Client } from 'pg';
import { recordsOf } from '../../common/region-records';
import { DEMO_MUNICIPALITIES } from '../../scripts/seed/catalogue';
import { generateRegion } from '../../scripts/seed/region';
import type { RegisterReads } from '../../subgraphs/municipal/adapters/adapter';
import { postgresLedgerTarget, postgresTarget } from './targets';

class StatementLog implements DrizzleLogger {
  readonly statements: { sql: string; params: unknown[] }[] = [];
  logQuery(sql: string, params: unknown[]) {
    this.statements.push({ sql, params });
  }
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}
const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

const region = generateRegion({
  seed: 17,
  municipalities: DEMO_MUNICIPALITIES,
  holdersPerMunicipality: 3000,
  placementsPerMunicipality: 10,
});
const mine = recordsOf(region, ['NB']);
let database = '';
let ledgerDatabase = '';
let store: RegisterReads;
let ledger: RegisterReads;
const log = new StatementLog();
let client: Client;

beforeAll(async () => {
  database = await postgresTarget.create();
  await postgresTarget.adapter.seed(database, region, 'NB');
  await postgresTarget.exec(database, ['ANALYZE']);
  store = await postgresTarget.adapter.open(
    { reader: await postgresTarget.adapter.readOnlyAccess(database), owner: database },
    'NB',
    log,
  );
  ledgerDatabase = await postgresLedgerTarget.create();
  await postgresLedgerTarget.adapter.seed(ledgerDatabase, region, 'NB');
  await postgresLedgerTarget.exec(ledgerDatabase, ['ANALYZE']);
  ledger = await postgresLedgerTarget.adapter.open(
    { reader: ledgerDatabase, owner: ledgerDatabase },
    'NB',
    log,
  );
  client = new Client({ connectionString: database });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
  await store?.close();
  await ledger?.close();
  if (database) await postgresTarget.drop(database);
  if (ledgerDatabase) await postgresLedgerTarget.drop(ledgerDatabase);
});

/** The plan of the one statement `run` sends to read `table`. */
async function planOf(run: () => Promise<unknown>, table: RegExp, on = client): Promise<PlanNode[]> {
  log.statements.length = 0;
  await run();
  const statement = log.statements.find((s) => table.test(s.sql) && !/count\(/.test(s.sql));
  if (!statement) throw new Error(`no statement matched ${table}`);
  const res = await on.query(`EXPLAIN (FORMAT JSON) ${statement.sql}`, statement.params);
  return nodes(res.rows[0]['QUERY PLAN'][0].Plan);
}
const scansOf = (plan: PlanNode[], relation: string) =>
  plan
    .filter((n) => n['Relation Name'] === relation)
    .map((n) => `${n['Node Type']} ${n['Index Name'] ?? ''}`);

describe('PostgreSQL adapter query plans', () => {
  it('loads credentials by id through the primary key', async () => {
    const ids = mine.credentials.slice(100, 120).map((c) => `NB:${c.localId}`);
    const plan = await planOf(() => store.credentialsByIds(ids), /from "certificate"/);
    expect(scansOf(plan, 'certificate')).toEqual([expect.stringMatching(/Index.* certificate_pkey/)]);
  });

  it('reads a keyset page in index order, without sorting the table', async () => {
    const mid = mine.credentials[1500];
    const after = [mid?.validFrom ?? '', 'NB', mid?.localId ?? ''];
    const plan = await planOf(
      () => store.credentialPage({ municipalities: null, after, first: 20 }),
      /from "certificate"/,
    );
    expect(scansOf(plan, 'certificate')).toEqual([expect.stringMatching(/Index.* certificate_issued_idx/)]);
    expect(plan.map((n) => n['Node Type'])).not.toContain('Sort');
  });

  it("finds a holder's credentials by regional holder id through both indexes", async () => {
    const rhid = mine.holders[42]?.regionalHolderId ?? '';
    const plan = await planOf(() => store.credentialsByRegionalHolderIds([rhid], null), /from "certificate"/);
    expect(scansOf(plan, 'person')).toEqual([expect.stringMatching(/Index.* person_regional_holder_id_idx/)]);
    expect(scansOf(plan, 'certificate')).toEqual([expect.stringMatching(/Index.* certificate_person_idx/)]);
  });

  it('reads a keyset page of the award ledger through its index on the start of each validity range', async () => {
    const mid = mine.credentials[1500];
    const after = [mid?.validFrom ?? '', 'NB', mid?.localId ?? ''];
    const ledgerClient = new Client({ connectionString: ledgerDatabase });
    await ledgerClient.connect();
    try {
      const plan = await planOf(
        () => ledger.credentialPage({ municipalities: null, after, first: 20 }),
        /from "ledger"."award"/,
        ledgerClient,
      );
      expect(scansOf(plan, 'award')).toEqual([expect.stringMatching(/Index.* award_validity_idx/)]);
      expect(plan.map((n) => n['Node Type'])).not.toContain('Sort');
    } finally {
      await ledgerClient.end();
    }
  });
});

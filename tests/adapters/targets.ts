// The databases the adapter behaviour suite runs on: PGlite, PostgreSQL, MariaDB and SQLite, with
// server addresses from the environment and the rows each legacy shape corrupts for the bad-data cases.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import { Client } from 'pg';
import { openPostgres } from '../../common/postgres';
import type { MappedAdapter } from '../../subgraphs/municipal/adapters/kit/adapter';
import { mariadbRegisterAdapter } from '../../subgraphs/municipal/adapters/mariadb-register';
import { nativeAdapter } from '../../subgraphs/municipal/adapters/native';
import { pgLedgerAdapter } from '../../subgraphs/municipal/adapters/pg-ledger';
import { pgNormalisedAdapter } from '../../subgraphs/municipal/adapters/pg-normalised';
import { readerName } from '../../subgraphs/municipal/adapters/reader-logins';
import { registroTitulosAdapter } from '../../subgraphs/municipal/adapters/registro-titulos';
import { sqliteCamelAdapter } from '../../subgraphs/municipal/adapters/sqlite-camel';

export const POSTGRES_URL =
  process.env.CROSSGATE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const MARIADB_URL = process.env.CROSSGATE_TEST_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306/';

/** Local ids of the rows each corruption adds; the suite expects them to fail alone. */
export const BAD: BadRows = {
  malformedDate: 'C-900001',
  unknownStatus: 'C-900002',
  danglingQualification: 'C-900003',
  placement: 'P-900001',
};

export interface BadRows {
  malformedDate: string;
  unknownStatus: string;
  danglingQualification: string;
  placement: string;
}

export interface AdapterTarget {
  /** Engine and adapter, as test titles show them. */
  name: string;
  adapter: MappedAdapter;
  /** Local ids of the rows `corruptions` adds, where they differ from BAD (the register's own scheme). */
  bad?: BadRows;
  /** Creates an empty database and returns the owner's address for it. */
  create(): Promise<string>;
  /** Runs statements as the owner (the suite's way of planting bad rows). */
  exec(database: string, statements: readonly string[]): Promise<void>;
  /** Statements that add the BAD rows in this adapter's legacy shape. */
  corruptions: readonly string[];
  /** A write through the read-only address; it must be refused. Null where the engine has no users. */
  writeAsReader: ((reader: string) => Promise<unknown>) | null;
  drop(database: string): Promise<void>;
}

const unique = () => `crossgate_adapters_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;

const PG_NORMALISED_CORRUPTIONS = [
  `INSERT INTO certificate VALUES ('${BAD.malformedDate}', 'H-000001', 'Q-001', 1, '2020-05-01', '2019-01-01', NULL)`,
  `INSERT INTO certificate VALUES ('${BAD.unknownStatus}', 'H-000001', 'Q-001', 7, '2020-05-02', NULL, NULL)`,
  `INSERT INTO certificate VALUES ('${BAD.danglingQualification}', 'H-000001', 'Q-999', 1, '2020-05-03', NULL, NULL)`,
  `INSERT INTO employment VALUES ('${BAD.placement}', 'not-a-global-id', '7411', 'Nobody', '2020-05-04', NULL)`,
];

export const pgliteTarget: AdapterTarget = {
  name: 'PGlite / pg-normalised',
  adapter: pgNormalisedAdapter,
  create: async () => mkdtempSync(join(tmpdir(), 'crossgate-pglite-')),
  async exec(database, statements) {
    const handle = await openPostgres({ kind: 'pglite', dataDir: database });
    try {
      for (const s of statements) await handle.exec(s);
    } finally {
      await handle.close();
    }
  },
  corruptions: PG_NORMALISED_CORRUPTIONS,
  writeAsReader: null,
  drop: async (database) => rmSync(database, { recursive: true, force: true }),
};

async function pgAdmin<T>(run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: POSTGRES_URL });
  try {
    await client.connect();
  } catch (e) {
    throw new Error(
      `PostgreSQL at ${POSTGRES_URL} is unreachable (${(e as Error).message}); start it or set CROSSGATE_TEST_POSTGRES_URL`,
    );
  }
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

const withDatabase = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

export const postgresTarget: AdapterTarget = {
  name: 'PostgreSQL / pg-normalised',
  adapter: pgNormalisedAdapter,
  async create() {
    const name = unique();
    await pgAdmin((c) => c.query(`CREATE DATABASE ${name}`));
    return withDatabase(POSTGRES_URL, name);
  },
  async exec(database, statements) {
    const client = new Client({ connectionString: database });
    await client.connect();
    try {
      for (const s of statements) await client.query(s);
    } finally {
      await client.end();
    }
  },
  corruptions: PG_NORMALISED_CORRUPTIONS,
  async writeAsReader(reader) {
    await postgresTarget.exec(reader, [`INSERT INTO certificate_state VALUES (9, 'forged')`]);
  },
  async drop(database) {
    const name = new URL(database).pathname.slice(1);
    await pgAdmin(async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.query(`DROP ROLE IF EXISTS "${readerName(name)}"`);
    });
  },
};

async function mariaAdmin<T>(run: (c: mysql.Connection) => Promise<T>): Promise<T> {
  let connection: mysql.Connection;
  try {
    connection = await mysql.createConnection({ uri: MARIADB_URL });
  } catch (e) {
    throw new Error(
      `MariaDB at ${MARIADB_URL} is unreachable (${(e as Error).message}); start it or set CROSSGATE_TEST_MARIADB_URL`,
    );
  }
  try {
    return await run(connection);
  } finally {
    await connection.end();
  }
}

export const mariadbTarget: AdapterTarget = {
  name: 'MariaDB / mariadb-register',
  adapter: mariadbRegisterAdapter,
  async create() {
    const name = unique();
    await mariaAdmin((c) => c.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4`));
    return withDatabase(MARIADB_URL, name);
  },
  async exec(database, statements) {
    const c = await mysql.createConnection({ uri: database });
    try {
      for (const s of statements) await c.query(s);
    } finally {
      await c.end();
    }
  },
  corruptions: [
    `INSERT INTO REGISTER (CERT_NO, PERS_NO, PERS_NAME, PERS_RHID, OCC_CODE, STAT, VALID_FROM, VALID_TO)
     VALUES ('${BAD.malformedDate}', 'H-000001', 'X', 'x', 'BG001', 'A', '31.02.2020', '')`,
    `INSERT INTO REGISTER (CERT_NO, PERS_NO, PERS_NAME, PERS_RHID, OCC_CODE, STAT, VALID_FROM, VALID_TO)
     VALUES ('${BAD.unknownStatus}', 'H-000001', 'X', 'x', 'BG001', 'X', '02.05.2020', '')`,
    `INSERT INTO REGISTER (CERT_NO, PERS_NO, PERS_NAME, PERS_RHID, OCC_CODE, STAT, VALID_FROM, VALID_TO)
     VALUES ('${BAD.danglingQualification}', 'H-000001', 'X', 'x', 'BG999', 'A', '03.05.2020', '')`,
    `INSERT INTO EMPLOYMENT VALUES ('${BAD.placement}', 'SB:C-000001', '7411', 'Nobody', '2020-05-04', NULL)`,
  ],
  async writeAsReader(reader) {
    await mariadbTarget.exec(reader, [`DELETE FROM OCC_LOOKUP`]);
  },
  async drop(database) {
    const name = new URL(database).pathname.slice(1);
    await mariaAdmin(async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${name}`);
      await c.query(`DROP USER IF EXISTS '${readerName(name)}'@'%'`);
    });
  },
};

export const sqliteTarget: AdapterTarget = {
  name: 'SQLite / sqlite-camel',
  adapter: sqliteCamelAdapter,
  create: async () => join(mkdtempSync(join(tmpdir(), 'crossgate-sqlite-')), 'register.sqlite'),
  async exec(database, statements) {
    const db = new Database(database);
    try {
      for (const s of statements) db.exec(s);
    } finally {
      db.close();
    }
  },
  corruptions: [
    `INSERT INTO credentials VALUES ('${BAD.malformedDate}', 'H-000001', 'Q-001', 'active', 'yesterday', NULL, NULL)`,
    `INSERT INTO credentials VALUES ('${BAD.unknownStatus}', 'H-000001', 'Q-001', 'lapsed', 1588377600, NULL, NULL)`,
    `INSERT INTO credentials VALUES ('${BAD.danglingQualification}', 'H-000001', 'Q-999', 'active', 1588464000, NULL, NULL)`,
    `INSERT INTO placements VALUES ('${BAD.placement}', 'SB:C-000001', '7411', 'Nobody', 'n/a', NULL)`,
  ],
  writeAsReader: null,
  drop: async (database) => rmSync(join(database, '..'), { recursive: true, force: true }),
};

const LEARNER = `(SELECT learner_id FROM ledger.learner WHERE learner_ref = 'H-000001')`;
const AWARD_TYPE = `(SELECT award_type_id FROM ledger.award_type WHERE award_type_ref = 'Q-001')`;

export const pgliteLedgerTarget: AdapterTarget = {
  ...pgliteTarget,
  name: 'PGlite / pg-ledger',
  adapter: pgLedgerAdapter,
  corruptions: [
    `INSERT INTO ledger.award (award_ref, learner_id, award_type_id, state, validity)
     VALUES ('${BAD.malformedDate}', ${LEARNER}, ${AWARD_TYPE}, 'granted', 'empty')`,
    `INSERT INTO ledger.award (award_ref, learner_id, award_type_id, state, validity)
     VALUES ('${BAD.unknownStatus}', ${LEARNER}, ${AWARD_TYPE}, 'lapsed', '[2020-05-02,)')`,
    `INSERT INTO ledger.award (award_ref, learner_id, award_type_id, state, validity)
     VALUES ('${BAD.danglingQualification}', ${LEARNER}, 999, 'granted', '[2020-05-03,)')`,
    `INSERT INTO ledger.job (job_ref, award_global_ref, isco, employer, period)
     VALUES ('${BAD.placement}', 'SB:C-000001', '7411', 'Nobody', '(,2020-05-04)')`,
  ],
};

export const postgresLedgerTarget: AdapterTarget = {
  ...postgresTarget,
  name: 'PostgreSQL / pg-ledger',
  adapter: pgLedgerAdapter,
  corruptions: pgliteLedgerTarget.corruptions,
  async writeAsReader(reader) {
    await postgresTarget.exec(reader, [`DELETE FROM ledger.job`]);
  },
};

/** registro-titulos: the register's own DDL, then its fixtures written through its mapping. */
const REGISTRO_DDL = readFileSync(join(__dirname, 'fixtures/registro-titulos.sql'), 'utf8');
const REGISTRO_BAD: BadRows = {
  malformedDate: '2020-9001',
  unknownStatus: '2020-9002',
  danglingQualification: '2020-9003',
  placement: '900001',
};
const REGISTRO_CORRUPTIONS = [
  `INSERT INTO titulo VALUES (9001, 2020, 1, 'Q-001', 'V', '2020-05-01', '2019-01-01', NULL)`,
  `INSERT INTO titulo VALUES (9002, 2020, 1, 'Q-001', 'X', '2020-05-02', NULL, NULL)`,
  `INSERT INTO titulo VALUES (9003, 2020, 1, 'Q-999', 'V', '2020-05-03', NULL, NULL)`,
  `INSERT INTO contrato VALUES (900001, 'not-a-global-id', '7411', '2020-05-04', NULL)`,
];

export const pgliteRegistroTarget: AdapterTarget = {
  ...pgliteTarget,
  name: 'PGlite / registro-titulos',
  adapter: registroTitulosAdapter,
  async create() {
    const database = await pgliteTarget.create();
    await pgliteTarget.exec(database, [REGISTRO_DDL]);
    return database;
  },
  corruptions: REGISTRO_CORRUPTIONS,
  bad: REGISTRO_BAD,
};

export const postgresRegistroTarget: AdapterTarget = {
  ...postgresTarget,
  name: 'PostgreSQL / registro-titulos',
  adapter: registroTitulosAdapter,
  async create() {
    const database = await postgresTarget.create();
    await postgresTarget.exec(database, [REGISTRO_DDL]);
    return database;
  },
  corruptions: REGISTRO_CORRUPTIONS,
  bad: REGISTRO_BAD,
  async writeAsReader(reader) {
    await postgresTarget.exec(reader, [`DELETE FROM contrato`]);
  },
};

/** The reference schema on PGlite, one municipality's share of it, read and written like any register. */
export const pgliteNativeTarget: AdapterTarget = {
  ...pgliteTarget,
  name: 'PGlite / native',
  adapter: nativeAdapter,
  corruptions: [
    // Its dates are typed and an expiry before the issue stands: the first bad row names a missing holder.
    `INSERT INTO credential VALUES ('SB', '${BAD.malformedDate}', 'H-999999', 'Q-001', 'ACTIVE', '2020-05-01', NULL, NULL)`,
    `INSERT INTO credential VALUES ('SB', '${BAD.unknownStatus}', 'H-000001', 'Q-001', 'LAPSED', '2020-05-02', NULL, NULL)`,
    `INSERT INTO credential VALUES ('SB', '${BAD.danglingQualification}', 'H-000001', 'Q-999', 'ACTIVE', '2020-05-03', NULL, NULL)`,
    `INSERT INTO placement VALUES ('SB', '${BAD.placement}', 'not-a-global-id', '7411', 'Nobody', '2020-05-04', NULL)`,
  ],
};

/** The reference schema on the PostgreSQL server, as a municipality that runs it there would. */
export const postgresNativeTarget: AdapterTarget = {
  ...postgresTarget,
  name: 'PostgreSQL / native',
  adapter: nativeAdapter,
  corruptions: pgliteNativeTarget.corruptions,
  async writeAsReader(reader) {
    await postgresTarget.exec(reader, [`DELETE FROM placement`]);
  },
};

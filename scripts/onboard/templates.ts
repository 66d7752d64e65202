// The files of a new adapter folder besides the pulled schema: the store to fill, the wiring, a seed.
import type { Dialect } from '../../subgraphs/municipal/adapters/adapter';

export interface Scaffold {
  /** Folder name, e.g. "lakeside-oracle"; also the adapter's ADAPTER name. */
  name: string;
  dialect: Dialect;
}

const pascal = (name: string) =>
  name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0]?.toUpperCase() + p.slice(1))
    .join('');

const EXAMPLE: Record<Dialect, string> = {
  postgresql: 'pg-normalised (or pg-ledger for date ranges and surrogate keys)',
  mysql: 'mariadb-register',
  sqlite: 'sqlite-camel',
};

const DATABASE_TYPE: Record<Dialect, { import: string; type: string }> = {
  postgresql: {
    import: "import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';",
    type: '// biome-ignore lint/suspicious/noExplicitAny: drizzle is generic over its driver.\nexport type Db = PgDatabase<PgQueryResultHKT, any>;',
  },
  mysql: {
    import: "import type { MySql2Database } from 'drizzle-orm/mysql2';",
    type: '// biome-ignore lint/suspicious/noExplicitAny: the store imports its tables directly.\nexport type Db = MySql2Database<any>;',
  },
  sqlite: {
    import: "import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';",
    type: '// biome-ignore lint/suspicious/noExplicitAny: the store imports its tables directly.\nexport type Db = BetterSQLite3Database<any>;',
  },
};

export function storeSource({ name, dialect }: Scaffold): string {
  const t = DATABASE_TYPE[dialect];
  return `// MunicipalStore over ${name}'s own tables. Map each method as docs/onboarding.md (step 4) shows;
// the ${EXAMPLE[dialect]} adapter is a complete example on this dialect.
${t.import}
import type { MunicipalStore } from '../../store';
import type { RegisterWriter } from '../adapter';

${t.type}

/** Each method rejects until it is mapped, so a half-done adapter fails loudly, never silently. */
export function create${pascal(name)}Store(db: Db, code: string, close: () => Promise<void>): MunicipalStore {
  const unmapped = (method: string) => () =>
    Promise.reject(new Error(\`${name}: \${method} is not mapped yet (subgraphs/municipal/adapters/${name}/store.ts)\`));
  void db;
  return {
    municipalities: [code],
    credentialsByIds: unmapped('credentialsByIds'),
    credentialsByHolderIds: unmapped('credentialsByHolderIds'),
    credentialsByRegionalHolderIds: unmapped('credentialsByRegionalHolderIds'),
    credentialPage: unmapped('credentialPage'),
    holdersByIds: unmapped('holdersByIds'),
    qualificationsByIds: unmapped('qualificationsByIds'),
    placementsByIds: unmapped('placementsByIds'),
    placementPage: unmapped('placementPage'),
    placementFlows: unmapped('placementFlows'),
    verificationHashesByIds: unmapped('verificationHashesByIds'),
    close,
  };
}

/** Officers' writes in the register's own shape (docs/onboarding.md, "Writes into a legacy register"). */
export function create${pascal(name)}Writer(db: Db): RegisterWriter {
  const unmapped = (method: string) => () =>
    Promise.reject(new Error(\`${name}: \${method} is not mapped yet (subgraphs/municipal/adapters/${name}/store.ts)\`));
  void db;
  return {
    highestLocalNumber: unmapped('highestLocalNumber'),
    insertCredential: unmapped('insertCredential'),
    insertPlacement: unmapped('insertPlacement'),
    setCredentialState: unmapped('setCredentialState'),
    close: async () => {},
  };
}
`;
}

const OPEN: Record<Dialect, { imports: string; reader: string; open: string }> = {
  postgresql: {
    imports: "import { openPgRegister } from '../pg-register';\nimport { postgresReader } from '../readers';",
    reader: 'readOnlyAccess: (database) => postgresReader(database),',
    open: `const handles = await openPgRegister(access, logger);
    return { ...STORE(handles.reader.db, code, handles.close), writer: WRITER(handles.writer.db) };`,
  },
  mysql: {
    imports:
      "import { drizzle } from 'drizzle-orm/mysql2';\nimport mysql from 'mysql2/promise';\nimport { mysqlReader } from '../readers';",
    reader: 'readOnlyAccess: (database) => mysqlReader(database),',
    open: `const pool = mysql.createPool({ uri: access.reader, connectionLimit: 10 });
    const owner = mysql.createPool({ uri: access.owner, connectionLimit: 2 });
    const close = async () => {
      await pool.end();
      await owner.end();
    };
    return { ...STORE(drizzle(pool, { logger }), code, close), writer: WRITER(drizzle(owner)) };`,
  },
  sqlite: {
    imports: "import Database from 'better-sqlite3';\nimport { drizzle } from 'drizzle-orm/better-sqlite3';",
    reader: 'readOnlyAccess: async (database) => database,',
    open: `const client = new Database(access.reader, { readonly: true, fileMustExist: true });
    const owner = new Database(access.owner, { fileMustExist: true });
    const close = async () => {
      client.close();
      owner.close();
    };
    return { ...STORE(drizzle(client, { logger }), code, close), writer: WRITER(drizzle(owner)) };`,
  },
};

export function indexSource({ name, dialect }: Scaffold): string {
  const o = OPEN[dialect];
  const store = `create${pascal(name)}Store`;
  const writer = `create${pascal(name)}Writer`;
  return `// ${name}: the adapter over this municipality's own ${dialect} database, read through a read-only
// login and written through the owner's.
${o.imports}
import type { MunicipalAdapter } from '../adapter';
import { seed${pascal(name)} } from './seed';
import { ${store}, ${writer} } from './store';

export const ${pascal(name)[0]?.toLowerCase()}${pascal(name).slice(1)}Adapter: MunicipalAdapter = {
  name: '${name}',
  dialect: '${dialect}',
  seed: seed${pascal(name)},
  ${o.reader}
  async open(access, code, logger) {
    ${o.open.replaceAll('STORE', store).replaceAll('WRITER', writer)}
  },
};
`;
}

export function seedSource({ name }: Scaffold): string {
  return `// Test data for ${name}: writes a generated region's share in this municipality's own shape.
// Its live database already holds its records; this seed serves the behaviour suite (step 5).
import type { RegionData } from '../../../../common/region-records';

/** Returns false: nothing is written until the mapping from RegionData to these tables is filled in. */
export async function seed${pascal(name)}(database: string, region: RegionData, code: string): Promise<boolean> {
  void database;
  void region;
  void code;
  return false;
}
`;
}

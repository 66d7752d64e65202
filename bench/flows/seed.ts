// Bulk-loads placements for the flows benchmark: one PostgreSQL database per municipality, rows
// generated inside the server (INSERT … SELECT over generate_series), deterministic by seed.
import { Client } from 'pg';
import { CREATE_TABLES } from '../../subgraphs/municipal/adapters/native/schema';

export interface SeededDatabase {
  code: string;
  url: string;
  placements: number;
}

const ISCO = [
  '7411',
  '7412',
  '7112',
  '7115',
  '7126',
  '7212',
  '7231',
  '8322',
  '8332',
  '5321',
  '5322',
  '3221',
  '2221',
  '5120',
];

/** The server URL with another database name. */
export function databaseUrl(serverUrl: string, name: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * Creates `<prefix>_<code>` for each municipality and loads `perMunicipality` placements into it:
 * 40 % use a credential issued elsewhere, start dates spread over 2019–2026.
 */
export async function seedFlowDatabases(
  serverUrl: string,
  prefix: string,
  codes: readonly string[],
  perMunicipality: number,
): Promise<SeededDatabase[]> {
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    for (const code of codes) await admin.query(`CREATE DATABASE ${prefix}_${code.toLowerCase()}`);
  } finally {
    await admin.end();
  }
  return Promise.all(
    codes.map(async (code, index) => {
      const url = databaseUrl(serverUrl, `${prefix}_${code.toLowerCase()}`);
      const db = new Client({ connectionString: url });
      await db.connect();
      try {
        await db.query(CREATE_TABLES);
        await db.query('SELECT setseed($1)', [(index + 1) / 10]);
        const others = codes.filter((c) => c !== code);
        await db.query(
          `/* bench:flows seed */
           INSERT INTO placement (municipality, local_id, credential_id, isco_code, employer, start_date, end_date)
           SELECT $1, 'P-' || lpad(g::text, 8, '0'),
                  (CASE WHEN random() < 0.4 THEN ($2::text[])[1 + floor(random() * $3)::int] ELSE $1 END)
                    || ':C-' || lpad((1 + floor(random() * 20000))::int::text, 6, '0'),
                  ($4::text[])[1 + floor(random() * $5)::int],
                  'Employer ' || (1 + floor(random() * 200))::int,
                  DATE '2019-01-01' + floor(random() * 2900)::int,
                  NULL
           FROM generate_series(1, $6) AS g`,
          [code, others, others.length, ISCO, ISCO.length, perMunicipality],
        );
        await db.query('VACUUM ANALYZE placement');
      } finally {
        await db.end();
      }
      return { code, url, placements: perMunicipality };
    }),
  );
}

export async function dropFlowDatabases(serverUrl: string, prefix: string, codes: readonly string[]) {
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    for (const code of codes)
      await admin.query(`DROP DATABASE IF EXISTS ${prefix}_${code.toLowerCase()} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

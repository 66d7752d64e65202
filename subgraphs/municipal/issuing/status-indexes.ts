// Each credential's position in its issuer's status lists, kept in the municipality's own (or side)
// database: allocated at random once, when the credential is first issued as a document.
import { randomInt } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { integer, pgTable, primaryKey, text, unique } from 'drizzle-orm/pg-core';
import { STATUS_LIST_LENGTH } from '../../../common/credentials/status-list';
import type { PgHandle } from '../../../common/postgres';

export const credentialStatusIndex = pgTable(
  'credential_status_index',
  {
    municipality: text('municipality').notNull(),
    credentialId: text('credential_id').notNull(),
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.municipality, t.credentialId] }), unique().on(t.municipality, t.position)],
);

const CREATE = `
CREATE TABLE IF NOT EXISTS credential_status_index (
  municipality text COLLATE "C" NOT NULL, credential_id text COLLATE "C" NOT NULL,
  position integer NOT NULL, PRIMARY KEY (municipality, credential_id),
  UNIQUE (municipality, position));
`;

export interface StatusIndexes {
  /** The credential's position, allocated on first use; the same on every later call. */
  positionOf(municipality: string, credentialId: string): Promise<number>;
  /** Every allocated position of the municipality, with its credential. */
  all(municipality: string): Promise<{ credentialId: string; position: number }[]>;
}

/**
 * Positions are random, not sequential, so that a position tells nothing about when a credential
 * was issued; `pick` is the random source (tests pass a seeded one).
 */
export async function statusIndexes(
  handle: PgHandle,
  pick: (below: number) => number = (below) => randomInt(below),
): Promise<StatusIndexes> {
  await handle.exec(CREATE);
  const { db } = handle;
  const find = async (municipality: string, credentialId: string) => {
    const [row] = await db
      .select({ position: credentialStatusIndex.position })
      .from(credentialStatusIndex)
      .where(
        and(
          eq(credentialStatusIndex.municipality, municipality),
          eq(credentialStatusIndex.credentialId, credentialId),
        ),
      );
    return row?.position;
  };
  return {
    async positionOf(municipality, credentialId) {
      for (let attempt = 0; attempt < 64; attempt++) {
        const known = await find(municipality, credentialId);
        if (known !== undefined) return known;
        await db
          .insert(credentialStatusIndex)
          .values({ municipality, credentialId, position: pick(STATUS_LIST_LENGTH) })
          .onConflictDoNothing();
      }
      throw new Error(`no free status list position for ${credentialId}`);
    },
    async all(municipality) {
      return db
        .select({
          credentialId: credentialStatusIndex.credentialId,
          position: credentialStatusIndex.position,
        })
        .from(credentialStatusIndex)
        .where(eq(credentialStatusIndex.municipality, municipality));
    },
  };
}

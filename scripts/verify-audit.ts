// Verifies a municipality's audit chain: `npm run verify-audit -- <database> [--keys <file>] [--witnesses <file>]`
// (a PGlite directory or a PostgreSQL URL). It recomputes the hash chain, then holds it to every
// checkpoint the registry witnessed (those kept beside the chain, and those given in --witnesses,
// as the registry's auditCheckpoints answers them), checked against the public keys in --keys.
// Exits 0 when everything holds, 1 naming each problem.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { decodeJwt } from 'jose';
import { CheckpointClaimSchema, openWitnessed, type PublicKeyHolder } from '../common/audit-checkpoint';
import { publicKeyOf } from '../common/member-keys';
import { openPostgres, pgConnectionOf } from '../common/postgres';
import { createNativeAuditStore } from '../subgraphs/municipal/adapters/native/audit';
import { verifyChain } from '../subgraphs/municipal/audit/chain';
import {
  checkAgainstCheckpoints,
  describeFinding,
  type WitnessedClaim,
} from '../subgraphs/municipal/audit/witnessed';

const PROBLEMS = {
  'content-changed': 'its content no longer matches its hash (the row was edited)',
  'link-broken': 'it does not point at the previous entry (a row before it was replaced or removed)',
  gap: 'the sequence skips here (entries were removed)',
} as const;

const USAGE =
  'Usage: npm run verify-audit -- <PGlite directory | postgres://…> [--keys <public keys file>] [--witnesses <file>]';

/**
 * Public keys by key id, from a saved directory ({ "keys": [{ member, role, jwk }] }), or from the
 * lines `npm run member-key` prints, for the municipality and the registry.
 */
function keysFrom(text: string): Map<string, PublicKeyHolder> {
  let entries: { member: string; role: string; jwk: Record<string, unknown> }[];
  try {
    entries = (JSON.parse(text) as { keys: typeof entries }).keys;
  } catch {
    entries = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as (typeof entries)[number]);
  }
  const byKid = new Map<string, PublicKeyHolder>();
  for (const e of entries) {
    const publicKey = publicKeyOf(e.jwk);
    const kid = e.jwk.kid;
    if (!publicKey || typeof kid !== 'string')
      throw new Error(`The keys file holds a key that is not an Ed25519 public JWK`);
    const known = byKid.get(kid);
    byKid.set(kid, { publicKey, role: e.role, members: [...(known?.members ?? []), e.member] });
  }
  return byKid;
}

/** Witnessed checkpoints from a file: a JSON list, the registry's GraphQL answer, or one JWS a line. */
function witnessesFrom(text: string): string[] {
  try {
    const json = JSON.parse(text) as string[] | { data?: { auditCheckpoints?: string[] } };
    return Array.isArray(json) ? json : (json.data?.auditCheckpoints ?? []);
  } catch {
    return text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
  }
}

/** What a witnessed checkpoint claims, read without checking signatures (no keys given). */
function unverifiedClaim(witness: string): WitnessedClaim {
  const outer = decodeJwt(witness) as { checkpoint: string; witnessedAt: string };
  return { claim: CheckpointClaimSchema.parse(decodeJwt(outer.checkpoint)), witnessedAt: outer.witnessedAt };
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { keys: { type: 'string' }, witnesses: { type: 'string' } },
  });
  const database = positionals[0];
  if (!database) {
    console.error(USAGE);
    return 2;
  }
  const handle = await openPostgres(pgConnectionOf(database));
  try {
    const store = await createNativeAuditStore(handle);
    const entries = await store.readAll();
    let broken = false;
    const verdict = verifyChain(entries);
    if (verdict.ok) {
      console.log(`audit chain intact: ${verdict.entries} entries`);
    } else {
      broken = true;
      const entry = entries.find((e) => e.seq === verdict.seq);
      console.error(`audit chain BROKEN at entry ${verdict.seq}: ${PROBLEMS[verdict.problem]}`);
      if (entry)
        console.error(`  entry ${entry.seq}: ${entry.at} ${entry.subject} (${entry.role}) ${entry.decision}`);
    }
    const witnesses = [
      ...new Set([
        ...((await store.witnessed?.()) ?? []),
        ...(values.witnesses ? witnessesFrom(readFileSync(values.witnesses, 'utf8')) : []),
      ]),
    ];
    if (witnesses.length === 0) {
      console.log('no witnessed checkpoints to hold the chain to');
      return broken ? 1 : 0;
    }
    const keys = values.keys ? keysFrom(readFileSync(values.keys, 'utf8')) : undefined;
    const claims: WitnessedClaim[] = [];
    for (const witness of witnesses) {
      if (!keys) {
        claims.push(unverifiedClaim(witness));
        continue;
      }
      try {
        claims.push(await openWitnessed(witness, (kid) => keys.get(kid) ?? null));
      } catch (e) {
        broken = true;
        console.error(`a witnessed checkpoint does not verify: ${(e as Error).message}`);
      }
    }
    const findings = checkAgainstCheckpoints(entries, claims);
    for (const f of findings) console.error(`audit chain BROKEN: ${describeFinding(f)}`);
    if (findings.length === 0 && claims.length > 0) {
      const last = [...claims].sort((a, b) => b.claim.entries - a.claim.entries)[0] as WitnessedClaim;
      console.log(
        `${claims.length} witnessed checkpoints hold (the last: ${last.claim.entries} entries, witnessed at ${last.witnessedAt})${keys ? '' : '; signatures NOT checked: give --keys'}`,
      );
    }
    return broken || findings.length > 0 ? 1 : 0;
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

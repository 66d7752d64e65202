// npm run admit-member -- --code LK --name Lakeside --country AT --url <subgraph base> --keys <public key file>
// Admits a new municipality to a running region through the gateway, as a registry administrator
// (CROSSGATE_TOKEN), with the public keys `npm run member-key` printed: no SQL, no restart.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { request } from 'undici';
import { z } from 'zod';

const USAGE = `Usage: CROSSGATE_TOKEN=<registry_admin token> npm run admit-member -- --code LK --name Lakeside --country AT
  --url http://lakeside.example:4104 --keys lk-public.jsonl [--gateway http://127.0.0.1:4000/graphql]
  [--reason "…"] [--idempotency-key …]
  --url is the subgraph's base address (it serves /credentials and /workforce);
  --keys is a file with what npm run member-key printed (one {member, role, jwk} a line), a JWKS or one JWK.`;

const Args = z.object({
  code: z.string().regex(/^[A-Z]{2,8}$/, 'a municipality code such as "LK"'),
  name: z.string().min(2),
  country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as "AT"'),
  url: z.url(),
  keys: z.string().min(1),
  gateway: z.url().default('http://127.0.0.1:4000/graphql'),
  reason: z.string().optional(),
  'idempotency-key': z.string().optional(),
});

const Jwk = z.object({
  kid: z.string(),
  kty: z.string(),
  crv: z.string(),
  x: z.string(),
  alg: z.string().optional(),
  use: z.string().optional(),
});
type Jwk = z.infer<typeof Jwk>;

/** The public keys in a file: member-key's lines, a JWKS, or one JWK; a private part is refused. */
function publicKeysIn(text: string, code: string): Jwk[] {
  const trimmed = text.trim();
  let items: unknown[];
  try {
    const whole = JSON.parse(trimmed) as { keys?: unknown[] };
    items = Array.isArray(whole.keys) ? whole.keys : [whole];
  } catch {
    items = trimmed.split('\n').map((line) => JSON.parse(line) as unknown);
  }
  return items.map((item) => {
    const entry = item as { member?: string; jwk?: unknown };
    if (entry.member !== undefined && entry.member !== code)
      throw new Error(`The key file holds a key of "${entry.member}", not of ${code}`);
    const raw = (entry.jwk ?? item) as Record<string, unknown>;
    if ('d' in raw) throw new Error('The key file holds a private key; give the public keys only');
    return Jwk.parse(raw);
  });
}

const ADMIT = `mutation Admit($input: AdmitMemberInput!, $key: String!, $reason: String) {
  admitMember(input: $input, idempotencyKey: $key, reason: $reason) { code name country status keys { kid } }
}`;

async function main() {
  const { values } = parseArgs({
    options: Object.fromEntries(
      ['code', 'name', 'country', 'url', 'keys', 'gateway', 'reason', 'idempotency-key'].map((o) => [
        o,
        { type: 'string' as const },
      ]),
    ),
  });
  const parsed = Args.safeParse(values);
  if (!parsed.success)
    throw new Error(
      `${USAGE}\n${parsed.error.issues.map((i) => `  - --${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  const a = parsed.data;
  const token = process.env.CROSSGATE_TOKEN;
  if (!token) throw new Error(`CROSSGATE_TOKEN must hold a registry_admin token\n${USAGE}`);
  const base = a.url.replace(/\/+$/, '');
  const input = {
    code: a.code,
    name: a.name,
    country: a.country,
    credentialsUrl: `${base}/credentials`,
    workforceUrl: `${base}/workforce`,
    keys: publicKeysIn(readFileSync(a.keys, 'utf8'), a.code),
  };
  // The same admission sent again (a retry) carries the same key, so it is applied once.
  const key =
    a['idempotency-key'] ??
    `admit-${a.code}-${createHash('sha256').update(JSON.stringify(input)).digest('hex').slice(0, 24)}`;
  const res = await request(a.gateway, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: ADMIT, variables: { input, key, reason: a.reason ?? null } }),
  });
  const answer = (await res.body.json()) as {
    data?: { admitMember?: { code: string; status: string; keys: { kid: string }[] } } | null;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
  if (answer.errors?.length || !answer.data?.admitMember) {
    for (const e of answer.errors ?? []) console.error(`${e.extensions?.code ?? 'ERROR'}: ${e.message}`);
    return 1;
  }
  const m = answer.data.admitMember;
  console.log(`Admitted ${m.code} (${m.status}) with keys ${m.keys.map((k) => k.kid).join(', ')} (idempotency key ${key}).
The gateway routes to it at its next member-list refresh (MEMBERSHIP_REFRESH_MS), and members accept
its signed calls once their copy of the directory is read again (DIRECTORY_TTL_MS).`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(2);
  },
);

// Mints a demo bearer token for the gateway: `npm run mint-token -- <role> [municipality]`.
// Uses the demo key pair under .data/keys (created by the first `npm start`).
import { join, resolve } from 'node:path';
import { ROLES } from '../schema/caller';
import { ensureTrustMaterial, mintToken, type TokenClaims } from './region/keys';

const ROOT = resolve(__dirname, '..');
const KEYS = join(process.env.CROSSGATE_DATA_DIR ?? join(ROOT, '.data'), 'keys');

async function main() {
  const [role, municipality] = process.argv.slice(2);
  const roles = ROLES.filter((r) => r !== 'anonymous');
  if (!role || !(roles as readonly string[]).includes(role)) {
    console.error(`Usage: npm run mint-token -- <${roles.join('|')}> [municipality code, for officers]`);
    process.exit(2);
  }
  if (role === 'officer' && !municipality) {
    console.error('An officer token needs the municipality, e.g. npm run mint-token -- officer NB');
    process.exit(2);
  }
  const material = await ensureTrustMaterial(KEYS);
  const claims: TokenClaims = {
    subject: `demo-${role}${municipality ? `-${municipality.toLowerCase()}` : ''}`,
    role: role as TokenClaims['role'],
    ...(municipality ? { municipality } : {}),
  };
  process.stdout.write(`${await mintToken(material.privateJwk, claims, { ttlSec: 8 * 3600 })}\n`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});

// npm run member-key -- <key folder> <member> [role]: creates the member's key pair in its folder (once)
// and prints the public entry the registry admits ({ member, role, jwk }); the private key stays put.
import { MEMBER_ROLES, type MemberRole } from '../common/key-directory';
import { MemberKeyring } from '../common/member-keys';

const [dir, member, role = 'municipality'] = process.argv.slice(2);
if (!dir || !member || !(MEMBER_ROLES as readonly string[]).includes(role)) {
  console.error(`Usage: npm run member-key -- <key folder> <member> [${MEMBER_ROLES.join('|')}]`);
  process.exit(2);
}
const keyring = MemberKeyring.open(dir, member);
for (const key of keyring.all()) {
  console.log(JSON.stringify({ member, role: role as MemberRole, jwk: key.publicJwk }));
}

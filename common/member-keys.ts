// A member's own signing keys: Ed25519 pairs created in its data folder, whose private halves never leave it.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JWK } from 'jose';

/** One key pair of a member: `kid` names it in the directory, `publicJwk` is what the registry publishes. */
export interface MemberKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: JWK;
}

interface StoredKey {
  kid: string;
  pkcs8: string;
  createdAt: string;
}

interface StoredKeyring {
  member: string;
  current: string;
  keys: StoredKey[];
}

const KEYRING_FILE = 'member-keys.json';

/** RFC 7638 thumbprint of an Ed25519 public key, base64url. */
function thumbprint(jwk: JWK): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x });
  return createHash('sha256').update(canonical).digest('base64url');
}

function memberKeyOf(member: string, privateKey: KeyObject): MemberKey {
  const exported = createPublicKey(privateKey).export({ format: 'jwk' }) as JWK;
  const kid = `${member}.${thumbprint(exported).slice(0, 16)}`;
  return {
    kid,
    privateKey,
    publicJwk: { kty: 'OKP', crv: 'Ed25519', x: exported.x, kid, alg: 'EdDSA', use: 'sig' },
  };
}

function freshKey(member: string): { key: MemberKey; stored: StoredKey } {
  const { privateKey } = generateKeyPairSync('ed25519');
  const key = memberKeyOf(member, privateKey);
  const pkcs8 = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  return { key, stored: { kid: key.kid, pkcs8, createdAt: new Date().toISOString() } };
}

/** The public half of a published JWK as a key object, or null when it is not an Ed25519 public key. */
export function publicKeyOf(jwk: JWK): KeyObject | null {
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string' || 'd' in jwk) return null;
  try {
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, format: 'jwk' });
  } catch {
    return null;
  }
}

/** True when `kid` ends with the key's own thumbprint, as this project names keys (no two keys share a name). */
export function kidMatches(jwk: JWK): boolean {
  return typeof jwk.kid === 'string' && jwk.kid.endsWith(`.${thumbprint(jwk).slice(0, 16)}`);
}

/**
 * A member's keys in its data folder: the one it signs with, and during a rotation the next one
 * (published before it signs) or the previous one (kept until it is retired).
 */
export class MemberKeyring {
  private constructor(
    private readonly dir: string,
    readonly member: string,
    private stored: StoredKeyring,
    private readonly keys: Map<string, MemberKey>,
  ) {}

  /** Opens the keyring in `dir`, creating the folder and a first key pair when there is none. */
  static open(dir: string, member: string): MemberKeyring {
    const path = join(dir, KEYRING_FILE);
    if (!existsSync(path)) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const { key, stored } = freshKey(member);
      const ring = new MemberKeyring(
        dir,
        member,
        { member, current: key.kid, keys: [stored] },
        new Map([[key.kid, key]]),
      );
      ring.save();
      return ring;
    }
    const stored = JSON.parse(readFileSync(path, 'utf8')) as StoredKeyring;
    if (stored.member !== member) {
      throw new Error(`The keys in ${dir} belong to member "${stored.member}", not "${member}"`);
    }
    const keys = new Map(stored.keys.map((k) => [k.kid, memberKeyOf(member, createPrivateKey(k.pkcs8))]));
    if (!keys.has(stored.current))
      throw new Error(`The keyring in ${dir} names a current key it does not hold`);
    return new MemberKeyring(dir, member, stored, keys);
  }

  /** The key this member signs with now. */
  get current(): MemberKey {
    return this.keys.get(this.stored.current) as MemberKey;
  }

  /** Every key still held (the current one, and a next or previous one during a rotation). */
  all(): MemberKey[] {
    return [...this.keys.values()];
  }

  /** Creates and keeps the next key pair; it signs nothing until `activate`. */
  createNext(): MemberKey {
    const { key, stored } = freshKey(this.member);
    this.stored = { ...this.stored, keys: [...this.stored.keys, stored] };
    this.keys.set(key.kid, key);
    this.save();
    return key;
  }

  /** Signs with `kid` from now on. */
  activate(kid: string): void {
    if (!this.keys.has(kid)) throw new Error(`No key ${kid} in this keyring`);
    this.stored = { ...this.stored, current: kid };
    this.save();
  }

  /** Forgets a key that is no longer current. */
  retire(kid: string): void {
    if (kid === this.stored.current) throw new Error(`Key ${kid} is the current key and cannot be retired`);
    this.keys.delete(kid);
    this.stored = { ...this.stored, keys: this.stored.keys.filter((k) => k.kid !== kid) };
    this.save();
  }

  private save(): void {
    const path = join(this.dir, KEYRING_FILE);
    writeFileSync(`${path}.tmp`, JSON.stringify(this.stored, null, 2), { mode: 0o600 });
    renameSync(`${path}.tmp`, path);
  }
}

/** Loads a member's current key pair from its data folder, creating it on first use. */
export function loadOrCreateMemberKey(dir: string, member: string): MemberKey {
  return MemberKeyring.open(dir, member).current;
}

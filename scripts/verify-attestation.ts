// Checks an attestation offline against the registry's signed directory, and says what was attested.
//   npm run verify-attestation -- save http://127.0.0.1:4000 [--to FILE]
//   npm run verify-attestation -- attestation.jws [--directory FILE] [--registry-key JWKS_FILE]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { request } from 'undici';
import { checkAttestation, describe, openSavedDirectory, readPinnedKeys } from './verifier/attestation';
import { DEFAULT_DIR, option } from './verifier/offline';

const DEFAULT_DIRECTORY = join(DEFAULT_DIR, 'directory.jws');

async function save(gateway: string, file: string) {
  const res = await request(`${gateway.replace(/\/$/, '')}/directory`);
  const body = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`${gateway}/directory answered ${res.statusCode}`);
  const doc = await openSavedDirectory(body);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, body);
  console.log(`Saved the registry's directory (issued ${doc.issuedAt}, ${doc.keys.length} keys) in ${file}`);
}

async function main(args: string[]): Promise<number> {
  if (args[0] === 'save') {
    const gateway = args[1];
    if (!gateway) throw new Error('usage: verify-attestation save <gateway URL> [--to FILE]');
    await save(gateway, option(args, '--to') ?? DEFAULT_DIRECTORY);
    return 0;
  }
  const file = args[0];
  if (!file) {
    throw new Error(
      'usage: verify-attestation <attestation file> [--directory FILE] [--registry-key JWKS_FILE]',
    );
  }
  const pinnedFile = option(args, '--registry-key');
  const directory = await openSavedDirectory(
    readFileSync(option(args, '--directory') ?? DEFAULT_DIRECTORY, 'utf8'),
    pinnedFile ? readPinnedKeys(pinnedFile) : undefined,
  );
  const result = await checkAttestation(readFileSync(file, 'utf8'), directory);
  if (!result.ok) {
    console.error(`Attestation refused (${result.failure}): ${result.reason}`);
    return 2;
  }
  for (const line of describe(result, directory)) console.log(line);
  return 0;
}

main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  })
  .catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });

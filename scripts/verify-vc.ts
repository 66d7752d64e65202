// Verifies a presented credential offline, from the registry's signed directory (the issuers' member
// keys) and the issuers' status lists saved earlier, and says how old they are. `save` fetches them
// from a gateway first; `--registry-key` pins the registry's published keys (a JWK or JWKS file).
//   npm run verify-vc -- save http://127.0.0.1:4000 [--codes NB,SB] [--to DIR]
//   npm run verify-vc -- presented.txt [--in NB] [--from DIR] [--registry-key JWKS_FILE]
import { readFileSync } from 'node:fs';
import { DEMO_MUNICIPALITIES } from './seed/catalogue';
import { readPinnedKeys } from './verifier/attestation';
import { DEFAULT_DIR, option, saveIssuers, verifyOffline } from './verifier/offline';

async function main(args: string[]) {
  if (args[0] === 'save') {
    const gateway = args[1];
    if (!gateway) throw new Error('usage: verify-vc save <gateway URL> [--codes NB,SB] [--to DIR]');
    const codes = option(args, '--codes')?.split(',') ?? DEMO_MUNICIPALITIES.map((m) => m.code);
    const dir = option(args, '--to') ?? DEFAULT_DIR;
    await saveIssuers(gateway.replace(/\/$/, ''), codes, dir);
    console.log(`Saved the registry's directory and the status lists of ${codes.join(', ')} in ${dir}`);
    return;
  }
  const file = args[0];
  if (!file) {
    throw new Error(
      'usage: verify-vc <presented credential file> [--in NB] [--from DIR] [--registry-key JWKS_FILE]',
    );
  }
  const pinnedFile = option(args, '--registry-key');
  const result = await verifyOffline(
    readFileSync(file, 'utf8'),
    option(args, '--in') ?? 'NB',
    option(args, '--from') ?? DEFAULT_DIR,
    new Date(),
    pinnedFile ? readPinnedKeys(pinnedFile) : undefined,
  );
  console.log(JSON.stringify(result, null, 2));
  process.exitCode = result.valid ? 0 : 2;
}

main(process.argv.slice(2)).catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});

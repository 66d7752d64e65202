// The error-code registry is the only place codes are written, and docs/errors.md lists every one.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { CODES, crossgateError, ERROR_CODES, errorBody, isErrorCode } from '../../schema/errors';
import { renderErrorCodes } from '../../scripts/error-codes-doc';
import { literalCodes } from '../support/literal-codes';

const ROOT = resolve(__dirname, '../..');
const SOURCE_ROOTS = ['schema', 'common', 'gateway', 'subgraphs', 'scripts', 'bench'];
const SKIP = new Set(['node_modules', 'fixtures', 'assets']);
/** The bench's scratch folder (not in git): it may hold an earlier commit's tree unpacked by `--baseline`. */
const SCRATCH = join(ROOT, 'bench', 'results');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (SKIP.has(name) || path === SCRATCH) continue;
    if (statSync(path).isDirectory()) out.push(...sources(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

describe('the error-code registry', () => {
  it('describes every code, and CODES names each by itself', () => {
    for (const [code, description] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^[A-Z]+(?:_[A-Z]+)*$/);
      expect(description.length).toBeGreaterThan(20);
      expect(CODES[code as keyof typeof CODES]).toBe(code);
    }
    expect(Object.keys(CODES)).toEqual(Object.keys(ERROR_CODES));
    expect(isErrorCode('FORBIDDEN')).toBe(true);
    expect(isErrorCode('SOMETHING_ELSE')).toBe(false);
    expect(isErrorCode('toString')).toBe(false);
  });

  it('builds errors that carry their code', () => {
    expect(crossgateError(CODES.NOT_FOUND, 'gone', { recordId: 'NB:1' }).extensions).toEqual({
      code: 'NOT_FOUND',
      recordId: 'NB:1',
    });
    expect(errorBody(CODES.BAD_REQUEST, 'no', { code: 'overridden' })).toEqual({
      message: 'no',
      extensions: { code: 'BAD_REQUEST' },
    });
  });
});

describe('codes outside the registry', () => {
  it('finds literal codes, and leaves typed arguments and municipality codes alone', () => {
    const sample = [
      `const a = { extensions: { code: 'SUBGRAPH_TIMEOUT' } };`,
      `const b = { code: slow ? 'MUNICIPALITY_TIMEOUT' : 'MUNICIPALITY_UNAVAILABLE' };`,
      `if (e.extensions.code === 'INTERNAL_SERVER_ERROR') {}`,
      `refuse(res, 429, 'RATE_LIMITED');`,
      `throw crossgateError('FORBIDDEN', 'no');`,
      `const member = { code: 'NB', name: 'Northbank' };`,
      `const reason = 'NO_AGREEMENT';`,
      `const c = { code: CODES.FORBIDDEN };`,
    ].join('\n');
    expect(literalCodes('sample.ts', sample).map((f) => `${f.line}:${f.text}`)).toEqual([
      '1:SUBGRAPH_TIMEOUT',
      '2:MUNICIPALITY_TIMEOUT',
      '2:MUNICIPALITY_UNAVAILABLE',
      '3:INTERNAL_SERVER_ERROR',
      '4:RATE_LIMITED',
    ]);
  });

  it('has no literal code in the source outside schema/errors.ts', () => {
    const files = SOURCE_ROOTS.flatMap((r) => sources(join(ROOT, r))).filter(
      (f) => relative(ROOT, f) !== join('schema', 'errors.ts'),
    );
    expect(files.length).toBeGreaterThan(100);
    const found = files.flatMap((f) => literalCodes(relative(ROOT, f), readFileSync(f, 'utf8')));
    expect(found.map((f) => `${f.file}:${f.line} ${f.text}`)).toEqual([]);
  });
});

describe('docs/errors.md', () => {
  it('is generated from the registry (run `npm run docs:errors` if not)', () => {
    expect(readFileSync(join(ROOT, 'docs/errors.md'), 'utf8')).toBe(renderErrorCodes());
  });

  it('lists every code once', () => {
    const doc = readFileSync(join(ROOT, 'docs/errors.md'), 'utf8');
    for (const code of Object.keys(ERROR_CODES)) {
      expect(doc.split('\n').filter((l) => l.startsWith(`| \`${code}\``))).toHaveLength(1);
    }
  });
});

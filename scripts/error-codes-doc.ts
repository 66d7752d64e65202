// Writes docs/errors.md from the error-code registry (schema/errors.ts); a test fails when it is stale.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES } from '../schema/errors';

/** A markdown table with padded columns, as the formatter leaves it. */
function table(header: readonly [string, string], rows: readonly (readonly [string, string])[]): string[] {
  const widths = [0, 1].map((i) => Math.max(...[header, ...rows].map((r) => (r[i] as string).length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

export function renderErrorCodes(): string {
  const rows = Object.entries(ERROR_CODES).map(
    ([code, description]) => [`\`${code}\``, description.replaceAll('<', '\\<')] as const,
  );
  return [
    '# Error codes',
    '',
    'Every GraphQL error Crossgate returns carries one of these codes in `extensions.code`; errors',
    'that come from a municipality also carry `extensions.municipality`. This page is generated from',
    'the registry in `schema/errors.ts` by `npm run docs:errors`; a test fails when it is out of date.',
    '',
    ...table(['code', 'meaning'], rows),
    '',
  ].join('\n');
}

if (process.argv[1] && /error-codes-doc\.ts$/.test(process.argv[1])) {
  const target = join(__dirname, '..', 'docs', 'errors.md');
  writeFileSync(target, renderErrorCodes());
  console.log(`Wrote ${target}`);
}

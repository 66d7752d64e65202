// A section of BENCHMARKS.md that one benchmark writes between its own markers, leaving the rest as it is.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** Replaces the block between `begin` and `end` in `file` with `section`, or appends it when absent. */
export function writeMarkedSection(file: string, begin: string, end: string, section: string): void {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const from = current.indexOf(begin);
  const to = current.indexOf(end);
  const block = `${begin}\n${section}\n${end}`;
  writeFileSync(
    file,
    from >= 0 && to > from
      ? `${current.slice(0, from)}${block}${current.slice(to + end.length)}`
      : `${current.trimEnd()}\n\n${block}\n`,
  );
}

// Field conversions several registers share: a holder's name kept in two parts, read and written.
import type { Column } from 'drizzle-orm';
import type { Field } from './mapping';

/** A display name's first word and the rest ('' when it has one word). */
export function nameParts(displayName: string): [string, string] {
  const at = displayName.indexOf(' ');
  return at < 0 ? [displayName, ''] : [displayName.slice(0, at), displayName.slice(at + 1)];
}

/** A name kept in two columns (given, family): read joined by a space, written split at the first. */
export function nameInTwoColumns(given: Column, family: Column): Field<string> {
  return {
    columns: [given, family],
    read: (g, f) => `${g} ${f}`.trim(),
    write: (h: { displayName: string }) => nameParts(h.displayName),
  };
}

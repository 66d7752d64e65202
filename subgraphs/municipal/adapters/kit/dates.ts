// Date conversions between a register's stored form and the contract's 'YYYY-MM-DD', both ways.
import {
  dottedFromIso,
  epochFromIso,
  isoFromDotted,
  isoFromEpoch,
  isoFromIso,
} from '../register-keys-and-dates';
import type { DateField, DateFormat } from './mapping';

const RANGE = /^[[(](\d{4}-\d{2}-\d{2})?,(\d{4}-\d{2}-\d{2})?[)\]]$/;

/** The day after (or before, with -1) an ISO day. */
export function shiftDay(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** A half-open daterange text [from, until + 1 day); an open end stays unbounded. */
export function rangeOf(from: string, until: string | null): string {
  return until === null ? `[${from},)` : `[${from},${shiftDay(until, 1)})`;
}

function fromDriverDate(raw: unknown): string | null {
  if (raw instanceof Date) {
    if (Number.isNaN(raw.getTime())) return null;
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${raw.getFullYear()}-${pad(raw.getMonth() + 1)}-${pad(raw.getDate())}`;
  }
  return typeof raw === 'string' ? isoFromIso(raw.slice(0, 10)) : null;
}

/** A stored value as an ISO day; null for "none" (an open end); undefined when it is no date. */
function decodeFormat(format: DateFormat, raw: unknown): string | null | undefined {
  switch (format) {
    case 'date':
    case 'iso-text':
      return fromDriverDate(raw) ?? undefined;
    case 'dotted':
      return typeof raw === 'string' ? (isoFromDotted(raw) ?? undefined) : undefined;
    case 'epoch-seconds':
      return isoFromEpoch(typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw) ?? undefined;
    case 'range-start': {
      const m = typeof raw === 'string' ? RANGE.exec(raw) : null;
      return m?.[1] && raw !== 'empty' ? (isoFromIso(m[1]) ?? undefined) : undefined;
    }
    case 'range-end': {
      const m = typeof raw === 'string' ? RANGE.exec(raw) : null;
      if (!m) return undefined;
      return m[2] ? shiftDay(m[2], -1) : null;
    }
  }
}

/** Reads a date field: the ISO day, null for none, or undefined when the value is no date. */
export function readDate(field: DateField, raw: unknown): string | null | undefined {
  if (raw === null || raw === undefined) return null;
  if (field.empty?.some((e) => e === raw || (typeof raw === 'string' && raw.trim() === e))) return null;
  return decodeFormat(field.format, raw);
}

/** The stored value of an ISO day (or none) in a field's format; ranges are written whole by rangeOf. */
export function writeDate(field: DateField, iso: string | null): unknown {
  if (iso === null) return field.writeNone ?? null;
  switch (field.format) {
    case 'dotted':
      return dottedFromIso(iso);
    case 'epoch-seconds':
      return epochFromIso(iso);
    default:
      return iso;
  }
}

/** The values to store for a (first day, last day) pair: one column, or a range over both. */
export function writeDates(
  first: DateField,
  last: DateField,
  from: string,
  until: string | null,
): [DateField['column'], unknown][] {
  if (first.format === 'range-start' && last.format === 'range-end' && first.column === last.column)
    return [[first.column, rangeOf(from, until)]];
  return [
    [first.column, writeDate(first, from)],
    [last.column, writeDate(last, until)],
  ];
}

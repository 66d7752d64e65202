// The SQL that differs between PostgreSQL, MariaDB/MySQL and SQLite: casts, concatenation, the issuer
// of a global id, period labels, and how each date format reads as a day, sorts and compares.
import { asc, type Column, type SQL, sql } from 'drizzle-orm';
import type { Granularity } from '../../store';
import type { Dialect } from '../adapter';
import { UNREADABLE_DATE } from '../register-keys-and-dates';
import type { DateField, DateFormat } from './mapping';

export interface DialectSql {
  /** The value as text. */
  text(value: SQL | Column): SQL;
  concat(...parts: (SQL | Column | string)[]): SQL;
  /** Text compared by code unit, as compareSortKeys compares. */
  binary(value: SQL | Column): SQL;
  /** The municipality of a global id `<CODE>:<local>`. */
  issuerOf(globalId: Column): SQL<string>;
  /** A period label ('2024', '2024-Q1', '2024-03') of a 'YYYY-MM-DD' text. */
  period(day: SQL, granularity: Granularity): SQL<string>;
  /** The number n of ids `<prefix><n>`, NULL for other ids. */
  numberAfter(id: Column, prefix: string): SQL<number | null>;
}

const str = (part: SQL | Column | string) => (typeof part === 'string' ? sql`${part}` : sql`${part}`);

export const DIALECT_SQL: Record<Dialect, DialectSql> = {
  postgresql: {
    text: (v) => sql`CAST(${v} AS text)`,
    concat: (...parts) => sql.join(parts.map(str), sql` || `),
    binary: (v) => sql`(${v}) COLLATE "C"`,
    issuerOf: (id) => sql<string>`split_part(${id}, ':', 1)`,
    period: (day, g) =>
      g === 'YEAR'
        ? sql<string>`substr(${day}, 1, 4)`
        : g === 'MONTH'
          ? sql<string>`substr(${day}, 1, 7)`
          : sql<string>`substr(${day}, 1, 4) || '-Q' || ((CAST(substr(${day}, 6, 2) AS integer) + 2) / 3)`,
    numberAfter: (id, prefix) =>
      sql<
        number | null
      >`CASE WHEN ${id} ~ ${`^${escapeRegex(prefix)}[0-9]{1,15}$`} THEN CAST(substr(${id}, ${prefix.length + 1}) AS bigint) END`,
  },
  mysql: {
    text: (v) => sql`CAST(${v} AS CHAR)`,
    concat: (...parts) => sql`CONCAT(${sql.join(parts.map(str), sql`, `)})`,
    binary: (v) => sql`${v}`,
    issuerOf: (id) => sql<string>`SUBSTRING_INDEX(${id}, ':', 1)`,
    period: (day, g) =>
      g === 'YEAR'
        ? sql<string>`SUBSTRING(${day}, 1, 4)`
        : g === 'MONTH'
          ? sql<string>`SUBSTRING(${day}, 1, 7)`
          : sql<string>`CONCAT(SUBSTRING(${day}, 1, 4), '-Q', (CAST(SUBSTRING(${day}, 6, 2) AS UNSIGNED) + 2) DIV 3)`,
    numberAfter: (id, prefix) =>
      sql<
        number | null
      >`CASE WHEN ${id} REGEXP ${`^${escapeRegex(prefix)}[0-9]{1,15}$`} THEN CAST(SUBSTRING(${id}, ${prefix.length + 1}) AS UNSIGNED) END`,
  },
  sqlite: {
    text: (v) => sql`CAST(${v} AS TEXT)`,
    concat: (...parts) => sql.join(parts.map(str), sql` || `),
    binary: (v) => sql`${v}`,
    issuerOf: (id) => sql<string>`substr(${id}, 1, instr(${id}, ':') - 1)`,
    period: (day, g) =>
      g === 'YEAR'
        ? sql<string>`substr(${day}, 1, 4)`
        : g === 'MONTH'
          ? sql<string>`substr(${day}, 1, 7)`
          : sql<string>`substr(${day}, 1, 4) || '-Q' || ((CAST(substr(${day}, 6, 2) AS INTEGER) + 2) / 3)`,
    numberAfter: (id, prefix) =>
      sql<
        number | null
      >`CASE WHEN substr(${id}, 1, ${prefix.length}) = ${prefix} AND length(${id}) > ${prefix.length} AND substr(${id}, ${prefix.length + 1}) NOT GLOB '*[^0-9]*' THEN CAST(substr(${id}, ${prefix.length + 1}) AS INTEGER) END`,
  },
};

function escapeRegex(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A date column as the kit sorts, pages and filters it. */
export interface DateSql {
  /** The day as 'YYYY-MM-DD' text, or NULL where the stored value is no date. */
  day: SQL<string | null>;
  /** The sort key's day: `day`, or UNREADABLE_DATE (before every real date). */
  sortDay: SQL<string>;
  /** ORDER BY terms that agree with sortDay (on the indexed value where there is one). */
  order: SQL;
  /** Rows whose day is after / equal to a cursor's day. */
  later(day: string): SQL;
  same(day: string): SQL;
  /** Rows on or after / on or before a date (unreadable rows never match). */
  atLeast(iso: string): SQL;
  atMost(iso: string): SQL;
  /** Where the engine reads the day from a native date: rows with a readable day, on the value itself. */
  readable?: SQL;
  /** Where it formats the native date itself: the flow period, as DialectSql.period gives it from `day`. */
  period?(granularity: Granularity): SQL<string>;
}

const ISO = /^\d{4}-\d{2}-\d{2}$/;

/** A date value the engine compares natively (and may index), with the literal it compares to. */
interface NativeDate {
  value: SQL;
  literal(iso: string): SQL;
  nullable: boolean;
}

function nativeDateSql(dialect: Dialect, native: NativeDate, day: SQL<string | null>): DateSql {
  const nullsFirst = dialect === 'postgresql' && native.nullable ? sql` NULLS FIRST` : sql``;
  return {
    day,
    sortDay: sql<string>`COALESCE(${day}, ${UNREADABLE_DATE})`,
    order: sql`${native.value} ASC${nullsFirst}`,
    later: (d) =>
      ISO.test(d)
        ? sql`${native.value} > ${native.literal(d)}`
        : d === UNREADABLE_DATE
          ? sql`${native.value} IS NOT NULL`
          : sql.raw(d < UNREADABLE_DATE ? '1 = 1' : '1 = 0'),
    same: (d) =>
      ISO.test(d)
        ? sql`${native.value} = ${native.literal(d)}`
        : d === UNREADABLE_DATE
          ? sql`${native.value} IS NULL`
          : sql.raw('1 = 0'),
    atLeast: (iso) => sql`${native.value} >= ${native.literal(iso)}`,
    atMost: (iso) => sql`${native.value} <= ${native.literal(iso)}`,
  };
}

function textDateSql(day: SQL<string | null>): DateSql {
  const sortDay = sql<string>`COALESCE(${day}, ${UNREADABLE_DATE})`;
  return {
    day,
    sortDay,
    order: asc(sortDay),
    later: (d) => sql`${sortDay} > ${d}`,
    same: (d) => sql`${sortDay} = ${d}`,
    atLeast: (iso) => sql`${day} >= ${iso}`,
    atMost: (iso) => sql`${day} <= ${iso}`,
  };
}

const PG_DAY = `'YYYY-MM-DD'`;
const PG_PERIOD: Record<Granularity, string> = { YEAR: `'YYYY'`, QUARTER: `'YYYY-"Q"Q'`, MONTH: `'YYYY-MM'` };

/**
 * Flows over a PostgreSQL date: one to_char of the date per row and the NULL test on the column,
 * instead of formatting the day and cutting it up (half the time of the flows GROUP BY). Years of
 * five digits format wider, so they keep the generic expression and the same periods.
 */
function pgDateFlows(value: SQL, day: SQL<string | null>): Pick<DateSql, 'readable' | 'period'> {
  return {
    readable: sql`${value} IS NOT NULL`,
    period: (g) =>
      sql<string>`CASE WHEN ${value} < DATE '10000-01-01' THEN to_char(${value}, ${sql.raw(PG_PERIOD[g])}) ELSE ${DIALECT_SQL.postgresql.period(day, g)} END`,
  };
}

/** How a date field of `format` reads, sorts and compares on `dialect`. */
export function dateSql(dialect: Dialect, field: DateField): DateSql {
  const c = field.column;
  const nullable = !c.notNull;
  const key = `${dialect}:${field.format}` as `${Dialect}:${DateFormat}`;
  switch (key) {
    case 'postgresql:date': {
      const day = sql<string | null>`to_char(${c}, ${sql.raw(PG_DAY)})`;
      return {
        ...nativeDateSql(dialect, { value: sql`${c}`, literal: (d) => sql`${d}::date`, nullable }, day),
        ...pgDateFlows(sql`${c}`, day),
      };
    }
    case 'postgresql:range-start': {
      const day = sql<string | null>`to_char(lower(${c}), ${sql.raw(PG_DAY)})`;
      return {
        ...nativeDateSql(
          dialect,
          { value: sql`lower(${c})`, literal: (d) => sql`${d}::date`, nullable: true },
          day,
        ),
        ...pgDateFlows(sql`lower(${c})`, day),
      };
    }
    case 'postgresql:range-end':
      return textDateSql(sql<string | null>`to_char(upper(${c}) - 1, ${sql.raw(PG_DAY)})`);
    case 'postgresql:iso-text':
      return textDateSql(sql<string | null>`CASE WHEN ${c} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN ${c} END`);
    case 'postgresql:dotted':
      return textDateSql(
        sql<
          string | null
        >`CASE WHEN ${c} ~ '^[0-9]{2}\\.[0-9]{2}\\.[0-9]{4}$' THEN substr(${c}, 7, 4) || '-' || substr(${c}, 4, 2) || '-' || substr(${c}, 1, 2) END`,
      );
    case 'postgresql:epoch-seconds':
      return textDateSql(
        sql<string | null>`to_char(to_timestamp(${c}) AT TIME ZONE 'UTC', ${sql.raw(PG_DAY)})`,
      );
    case 'mysql:date':
      return nativeDateSql(
        dialect,
        { value: sql`${c}`, literal: (d) => sql`${d}`, nullable },
        sql<string | null>`DATE_FORMAT(${c}, '%Y-%m-%d')`,
      );
    case 'mysql:dotted': {
      const value = sql`STR_TO_DATE(${c}, '%d.%m.%Y')`;
      const text = textDateSql(sql<string | null>`DATE_FORMAT(${value}, '%Y-%m-%d')`);
      return { ...text, atLeast: (iso) => sql`${value} >= ${iso}`, atMost: (iso) => sql`${value} <= ${iso}` };
    }
    case 'mysql:iso-text':
      return textDateSql(sql<string | null>`DATE_FORMAT(STR_TO_DATE(${c}, '%Y-%m-%d'), '%Y-%m-%d')`);
    case 'mysql:epoch-seconds':
      return textDateSql(
        sql<string | null>`DATE_FORMAT(DATE_ADD('1970-01-01', INTERVAL ${c} SECOND), '%Y-%m-%d')`,
      );
    case 'sqlite:epoch-seconds':
      return textDateSql(
        sql<string | null>`(CASE WHEN typeof(${c}) = 'integer' THEN date(${c}, 'unixepoch') END)`,
      );
    case 'sqlite:date':
    case 'sqlite:iso-text':
      return textDateSql(
        sql<string | null>`(CASE WHEN ${c} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' THEN ${c} END)`,
      );
    case 'sqlite:dotted':
      return textDateSql(
        sql<
          string | null
        >`(CASE WHEN ${c} GLOB '[0-9][0-9].[0-9][0-9].[0-9][0-9][0-9][0-9]' THEN substr(${c}, 7, 4) || '-' || substr(${c}, 4, 2) || '-' || substr(${c}, 1, 2) END)`,
      );
    default:
      throw new Error(`${field.format} dates are not supported on ${dialect}`);
  }
}

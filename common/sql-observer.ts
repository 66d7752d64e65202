// Counts and times every SQL statement a database client sends, per adapter, with a span each:
// wraps the driver's query method, so every store over that client is observed alike.
import { Counter, Histogram, type Registry } from 'prom-client';
import { LATENCY_BUCKETS, type ProcessMetrics } from './metrics';
import { inSqlSpan, inSqlSpanSync, statementKind } from './tracing';

export interface SqlObserver {
  statement<T>(text: string, run: () => Promise<T>): Promise<T>;
  /** The same for a synchronous driver (better-sqlite3). */
  statementSync<T>(text: string, run: () => T): T;
}

interface SqlSeries {
  statements: Counter;
  duration: Histogram;
}

const seriesByRegistry = new WeakMap<Registry, SqlSeries>();

function sqlSeries(registry: Registry): SqlSeries {
  let series = seriesByRegistry.get(registry);
  if (!series) {
    series = {
      statements: new Counter({
        name: 'crossgate_sql_statements_total',
        help: 'SQL statements sent, by adapter, statement kind and outcome.',
        labelNames: ['adapter', 'operation', 'outcome'],
        registers: [registry],
      }),
      duration: new Histogram({
        name: 'crossgate_sql_statement_duration_seconds',
        help: 'Time a SQL statement took, by adapter and statement kind.',
        labelNames: ['adapter', 'operation'],
        buckets: LATENCY_BUCKETS,
        registers: [registry],
      }),
    };
    seriesByRegistry.set(registry, series);
  }
  return series;
}

/** An observer that labels statements with `adapter` and spans them as `system` (e.g. postgresql). */
export function sqlObserver(
  metrics: ProcessMetrics | undefined,
  adapter: string,
  system: string,
): SqlObserver {
  const series = metrics ? sqlSeries(metrics.registry) : undefined;
  const record = (text: string, started: bigint, outcome: string) => {
    if (!series) return;
    const operation = statementKind(text);
    series.statements.inc({ adapter, operation, outcome });
    series.duration.observe({ adapter, operation }, Number(process.hrtime.bigint() - started) / 1e9);
  };
  return {
    async statement(text, run) {
      const started = process.hrtime.bigint();
      let outcome = 'ok';
      try {
        return await inSqlSpan(system, text, run);
      } catch (e) {
        outcome = 'error';
        throw e;
      } finally {
        record(text, started, outcome);
      }
    },
    statementSync(text, run) {
      const started = process.hrtime.bigint();
      let outcome = 'ok';
      try {
        return inSqlSpanSync(system, text, run);
      } catch (e) {
        outcome = 'error';
        throw e;
      } finally {
        record(text, started, outcome);
      }
    },
  };
}

/** The SQL text of a driver's first argument: a string, or a `{ text }` / `{ sql }` query object. */
function textOf(query: unknown): string {
  if (typeof query === 'string') return query;
  if (query && typeof query === 'object') {
    const q = query as { text?: unknown; sql?: unknown };
    if (typeof q.text === 'string') return q.text;
    if (typeof q.sql === 'string') return q.sql;
  }
  return '';
}

/**
 * Routes the client's `method` (query, exec…) through the observer; the client is changed in
 * place, so a driver that was handed it keeps working unchanged.
 */
export function observeClient<C extends object>(
  client: C,
  methods: readonly (keyof C & string)[],
  observer: SqlObserver,
): C {
  for (const name of methods) {
    const original = client[name] as unknown;
    if (typeof original !== 'function') continue;
    const bound = (original as (...args: unknown[]) => unknown).bind(client);
    (client as Record<string, unknown>)[name] = (...args: unknown[]) => {
      // A callback-style call (node-postgres' query(text, values, cb)) is passed through untimed.
      if (typeof args[args.length - 1] === 'function') return bound(...args);
      return observer.statement(textOf(args[0]), () => Promise.resolve(bound(...args)));
    };
  }
  return client;
}

/** The methods of a better-sqlite3 statement that run it, and those that return it reconfigured. */
const RUNS = new Set(['all', 'get', 'run', 'iterate']);
const RETURNS_ITSELF = new Set(['raw', 'pluck', 'expand', 'safeIntegers', 'bind']);

interface SqliteClient {
  prepare(sql: string): object;
}

/**
 * Observes a better-sqlite3 connection: every prepared statement's runs are counted and spanned.
 * The driver is synchronous, so each run is timed synchronously too.
 */
export function observeSqlite<C extends SqliteClient>(client: C, observer: SqlObserver): C {
  const prepare = client.prepare.bind(client);
  client.prepare = (sql: string) => {
    const statement = prepare(sql) as Record<string, unknown>;
    const observed: object = new Proxy(statement, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver);
        if (typeof name !== 'string' || typeof value !== 'function') return value;
        const method = value as (...args: unknown[]) => unknown;
        if (RUNS.has(name))
          return (...args: unknown[]) => observer.statementSync(sql, () => method.apply(target, args));
        if (RETURNS_ITSELF.has(name))
          return (...args: unknown[]) => {
            method.apply(target, args);
            return observed;
          };
        return method.bind(target);
      },
    });
    return observed;
  };
  return client;
}

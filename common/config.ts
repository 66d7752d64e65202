// Configuration of every process kind: the variables come from the environment, or from a file
// named by CROSSGATE_CONFIG (JSON or YAML, keyed by the same variable names; the environment wins),
// are validated with the kind's schema, and every problem is reported at once, by variable name.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';

/** The levels LOG_LEVEL may name (pino's). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** The variable naming a configuration file. */
export const CONFIG_FILE_VARIABLE = 'CROSSGATE_CONFIG';

/** The environment variable behind each key of a configuration schema. */
export type VariableNames<K extends string> = Readonly<Record<K, string>>;

export class ConfigurationError extends Error {
  constructor(
    kind: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid ${kind} configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

/** The variables of a configuration file; values must be strings, numbers or booleans. */
function fileVariables(kind: string, path: string, known: ReadonlySet<string>): Record<string, string> {
  let parsed: unknown;
  try {
    const text = readFileSync(path, 'utf8');
    parsed = /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw new ConfigurationError(kind, [
      `${CONFIG_FILE_VARIABLE}: ${path} cannot be read as ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'} (${(e as Error).message.split('\n')[0]})`,
    ]);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new ConfigurationError(kind, [`${CONFIG_FILE_VARIABLE}: ${path} must hold an object of variables`]);
  const out: Record<string, string> = {};
  const problems: string[] = [];
  for (const [name, value] of Object.entries(parsed)) {
    if (!known.has(name)) problems.push(`${name} (in ${path}): not a variable of the ${kind}`);
    else if (!['string', 'number', 'boolean'].includes(typeof value))
      problems.push(`${name} (in ${path}): must be a string, number or boolean`);
    else out[name] = String(value);
  }
  if (problems.length > 0) throw new ConfigurationError(kind, problems);
  return out;
}

/**
 * The variables a process reads: the configuration file's (when CROSSGATE_CONFIG names one),
 * overridden by the environment's. `known` lists the variables the file may set.
 */
export function configVariables(
  kind: string,
  env: NodeJS.ProcessEnv,
  known: Iterable<string>,
): Record<string, string | undefined> {
  const path = env[CONFIG_FILE_VARIABLE];
  const fromFile = path ? fileVariables(kind, path, new Set(known)) : {};
  const fromEnv = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  return { ...fromFile, ...fromEnv };
}

/** Parses `input` with `schema`; a failure names each variable (from `names`) and the rule it broke. */
export function parseConfig<S extends z.ZodType>(
  kind: string,
  schema: S,
  input: Record<string, unknown>,
  names: Readonly<Record<string, string>>,
): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new ConfigurationError(
    kind,
    parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '');
      const variable = names[key] ?? key;
      return `${variable}: ${issue.message}`;
    }),
  );
}

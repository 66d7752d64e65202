// Configuration of every process kind: the variables come from the environment, or from a file
// named by CROSSGATE_CONFIG (JSON or YAML, keyed by the same variable names; the environment wins),
// are validated with the kind's schema, and every problem is reported at once, by variable name.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

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

/** Where the identity provider's token-signing keys are: a JWKS file, a JWKS URL, or (in tests) the set itself. */
export const TokenKeySourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('file'), path: z.string().min(1) }),
  z.object({ kind: z.literal('url'), url: z.url() }),
  z.object({ kind: z.literal('jwks'), jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }) }),
]);

/**
 * The region's identity provider, as every member that reads a caller from a token configures it:
 * the gateway admits callers with it, and each owner checks the same token again itself.
 */
export const identityProviderFields = {
  /** Keys that sign bearer tokens: a JWKS file or URL. */
  tokenKeys: TokenKeySourceSchema,
  tokenIssuer: z.string().min(1),
  tokenAudience: z.string().min(1),
};

/** The variables behind the identity provider's keys; `tokenKeys` is JWKS_FILE or JWKS_URL. */
export const IDENTITY_PROVIDER_VARIABLES = {
  tokenKeys: 'JWKS_FILE or JWKS_URL',
  tokenIssuer: 'JWT_ISSUER',
  tokenAudience: 'JWT_AUDIENCE',
} as const;

/** The variable names a configuration file may set for the identity provider. */
const IDENTITY_PROVIDER_VARIABLE_NAMES = ['JWKS_FILE', 'JWKS_URL', 'JWT_ISSUER', 'JWT_AUDIENCE'];

/** The token key source named by JWKS_URL or JWKS_FILE (the URL wins), or undefined when neither is set. */
function tokenKeySource(vars: Record<string, string | undefined>) {
  if (vars.JWKS_URL) return { kind: 'url', url: vars.JWKS_URL };
  if (vars.JWKS_FILE) return { kind: 'file', path: vars.JWKS_FILE };
  return undefined;
}

/** Every variable a process kind reads (its map's, the identity provider's and `extra`), for its configuration file too. */
export function variableNamesOf(variables: Readonly<Record<string, string>>, ...extra: string[]): string[] {
  return [
    ...Object.values(variables).filter((v) => !v.includes(' ')),
    ...IDENTITY_PROVIDER_VARIABLE_NAMES,
    ...extra,
  ];
}

/** The input of a kind's schema: each key from its variable, and `tokenKeys` from JWKS_URL or JWKS_FILE. */
export function configInput(
  variables: Readonly<Record<string, string>>,
  vars: Record<string, string | undefined>,
): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [key, variable] of Object.entries(variables)) input[key] = vars[variable];
  input.tokenKeys = tokenKeySource(vars);
  return input;
}

const Jwks = z.object({ keys: z.array(z.record(z.string(), z.unknown())).min(1) });

/** A variable holding a JSON JWKS with at least one key (REGISTRY_KEYS); `missing` is said when it is absent. */
export function jwksVariable(missing: string) {
  return z
    .string(missing)
    .min(1, missing)
    .transform((s, ctx) => {
      try {
        const parsed = Jwks.safeParse(JSON.parse(s));
        if (parsed.success) return parsed.data.keys;
      } catch {
        // reported below
      }
      ctx.addIssue({ code: 'custom', message: 'must be a JSON JWKS with at least one key: {"keys":[…]}' });
      return z.NEVER;
    });
}

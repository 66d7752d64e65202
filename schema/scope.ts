// The municipality scope of a request: the municipalities whose records it reads, null for every one.
import { crossgateError } from './errors';
import { isMunicipalityCode } from './ids';

export type MunicipalityScope = readonly string[] | null;

/**
 * A scope argument (one code or a list of codes), every code checked; absent means every
 * municipality. A code that is not one is BAD_USER_INPUT naming the argument.
 */
export function scopeArgument(value: unknown, argumentName: string): string[] | null {
  if (value === undefined || value === null) return null;
  const list: unknown[] = Array.isArray(value) ? value : [value];
  const wrong = list.findIndex((c) => !isMunicipalityCode(c));
  if (wrong >= 0) {
    throw crossgateError(
      'BAD_USER_INPUT',
      `${argumentName} must hold municipality codes such as "SB"; received ${JSON.stringify(list[wrong])?.slice(0, 40)}`,
      { argumentName },
    );
  }
  return list as string[];
}

/** True when a request with this scope reads records of `code`. */
export function inScope(code: string, scope: MunicipalityScope): boolean {
  return scope === null || scope.includes(code);
}

/** The codes among `codes` that the scope reaches: all of them when the scope is null. */
export function codesInScope(codes: readonly string[], scope: MunicipalityScope): readonly string[] {
  return scope === null ? codes : codes.filter((c) => scope.includes(c));
}

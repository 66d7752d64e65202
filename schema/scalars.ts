// The contract's custom scalars.

import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { CODES } from './errors';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !ISO_DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
}

function parseDate(value: unknown): string {
  if (!isIsoDate(value)) {
    throw new GraphQLError(`Date must be a calendar date as YYYY-MM-DD; received ${JSON.stringify(value)}`, {
      extensions: { code: CODES.BAD_USER_INPUT },
    });
  }
  return value;
}

export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  description: 'A calendar date in ISO 8601 form, YYYY-MM-DD.',
  serialize: (value) => parseDate(value),
  parseValue: (value) => parseDate(value),
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : undefined),
});

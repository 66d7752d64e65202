// A mapping is checked against the live database's columns when the register opens: a missing
// column, a column of another kind or a todo() left by the scaffold stops the start, each named.
import { getTableName } from 'drizzle-orm';
import { todo } from '../../subgraphs/municipal/adapters/kit/mapping';
import { tableOf } from '../../subgraphs/municipal/adapters/kit/reads';
import { mappedColumns, mappingProblems, typeKind } from '../../subgraphs/municipal/adapters/kit/validate';
import { pgNormalisedMapping } from '../../subgraphs/municipal/adapters/pg-normalised/mapping';

/** The live columns exactly as the mapping reads them. */
const fitting = () =>
  new Map(
    mappedColumns(pgNormalisedMapping).map((c) => [
      `public.${getTableName(tableOf(c))}.${c.name}`,
      c.getSQLType(),
    ]),
  );

describe('checking a mapping against the live columns', () => {
  it('accepts a database that has every column in a type of the same kind', () => {
    const live = fitting();
    live.set('public.certificate.certificate_no', 'varchar');
    live.set('public.certificate.state_code', 'int2');
    expect(mappingProblems(pgNormalisedMapping, live)).toEqual([]);
  });

  it('names every missing column and every column of another kind, at once', () => {
    const live = fitting();
    live.delete('public.certificate.issued_on');
    live.set('public.employment.started_on', 'text');
    expect(mappingProblems(pgNormalisedMapping, live)).toEqual([
      'column public.certificate.issued_on does not exist in the database',
      'column public.employment.started_on is text in the database, the mapping reads it as date',
    ]);
  });

  it('refuses a proposal with a todo() left, naming its place', () => {
    const proposal = {
      ...pgNormalisedMapping,
      credential: {
        ...pgNormalisedMapping.credential,
        state: { ...pgNormalisedMapping.credential.state, codes: todo('the codes') },
      },
    };
    expect(mappingProblems(proposal, fitting())).toEqual(['still to map: credential.state.codes: the codes']);
  });

  it.each([
    ['varchar(16)', 'text'],
    ['bpchar', 'text'],
    ['int4', 'integer'],
    ['smallint', 'integer'],
    ['DATE', 'date'],
    ['jsonb', 'json'],
    ['daterange', 'daterange'],
  ])('reads %s as a %s column', (type, kind) => expect(typeKind(type)).toBe(kind));
});

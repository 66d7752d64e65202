// Abuse cases of the legacy mapping helpers: each malformed date or id is refused, never guessed.

import { compareSortKeys } from '../../schema/cursor';
import {
  dottedFromIso,
  epochFromIso,
  isoFromDotted,
  isoFromEpoch,
  isoFromIso,
  localIdsOf,
  UNREADABLE_DATE,
} from '../../subgraphs/municipal/adapters/register-keys-and-dates';

describe('legacy date formats', () => {
  it.each([
    ['31.12.2024', '2024-12-31'],
    ['29.02.2024', '2024-02-29'],
    [' 01.03.2020 ', '2020-03-01'],
  ])('reads DD.MM.YYYY %j as %s', (dotted, iso) => {
    expect(isoFromDotted(dotted)).toBe(iso);
    expect(dottedFromIso(iso)).toBe(dotted.trim());
  });

  it.each([
    '31.02.2020',
    '29.02.2023',
    '1.2.2020',
    '2020-01-01',
    '01/02/2020',
    '00.01.2020',
    '',
    '01.13.2020',
  ])('refuses %j as a DD.MM.YYYY date', (value) => {
    expect(isoFromDotted(value)).toBeNull();
  });

  it('reads epoch seconds at UTC midnight and refuses anything else', () => {
    expect(isoFromEpoch(epochFromIso('2021-06-30'))).toBe('2021-06-30');
    expect(isoFromEpoch(epochFromIso('2021-06-30') + 3600)).toBeNull();
    expect(isoFromEpoch('1625011200')).toBeNull();
    expect(isoFromEpoch(1.5)).toBeNull();
    expect(isoFromEpoch(epochFromIso('1850-01-01'))).toBeNull();
  });

  it('accepts only calendar dates in ISO form', () => {
    expect(isoFromIso('2024-02-29')).toBe('2024-02-29');
    expect(isoFromIso('2023-02-29')).toBeNull();
    expect(isoFromIso('2024-2-9')).toBeNull();
  });

  it('sorts an unreadable date before every real one, as the SQL of every adapter does', () => {
    expect(compareSortKeys([UNREADABLE_DATE, 'SB', 'C-9'], ['0001-01-01', 'AA', 'C-1'])).toBeLessThan(0);
  });
});

describe('ids of one municipality', () => {
  it("keeps only well-formed ids of the store's own municipality, in order", () => {
    expect(localIdsOf('SB', ['SB:C-2', 'NB:C-1', 'SB:', 'sb:C-3', 'SB:C-1', 'SB:C 4', 'SB:C-2'])).toEqual([
      'C-2',
      'C-1',
      'C-2',
    ]);
  });
});

// The region cursor: compact, versioned, raw sort keys per shard; anything else is refused.
import fc from 'fast-check';
import { decodeRegionCursor, encodeRegionCursor, positionOf } from '../../gateway/src/fanout/cursor';

const key = fc.tuple(
  fc.string({ maxLength: 20 }),
  fc.constantFrom('NB', 'SB', 'RV'),
  fc.string({ maxLength: 12 }),
);
const positions = fc.dictionary(fc.constantFrom('NB', 'SB', 'RV', 'NB+SB'), key);

describe('region cursor', () => {
  it('decodes what it encodes', () => {
    fc.assert(fc.property(positions, (p) => expect(decodeRegionCursor(encodeRegionCursor(p))).toEqual(p)));
  });

  it('is one base64url layer over the version and the raw keys', () => {
    const cursor = encodeRegionCursor({ SB: ['2024-03-01', 'SB', 'C-000017'] });
    expect(Buffer.from(cursor, 'base64url').toString()).toBe('[1,{"SB":["2024-03-01","SB","C-000017"]}]');
  });

  it.each([
    ['an empty string', ''],
    ['padding and symbols', 'abc=/+'],
    ['JSON that is not a list', Buffer.from('{"p":{}}').toString('base64url')],
    ['another version', Buffer.from('[2,{}]').toString('base64url')],
    ['a malformed shard id', Buffer.from('[1,{"nb":["x"]}]').toString('base64url')],
    ['an empty key', Buffer.from('[1,{"NB":[]}]').toString('base64url')],
    ['a key of objects', Buffer.from('[1,{"NB":[{"a":1}]}]').toString('base64url')],
    ['an over-long cursor', 'A'.repeat(9000)],
  ])('refuses %s with BAD_USER_INPUT on argument after', (_name, cursor) => {
    expect(() => decodeRegionCursor(cursor)).toThrow(
      expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', argumentName: 'after' } }),
    );
  });

  it('resumes a shard the cursor does not name after the greatest position', () => {
    const p = { NB: ['2020-01-02', 'NB', 'C-1'], SB: ['2020-01-05', 'SB', 'C-9'] };
    expect(positionOf(p, 'NB')).toEqual(p.NB);
    expect(positionOf(p, 'RV')).toEqual(p.SB);
    expect(positionOf({}, 'RV')).toBeNull();
  });

  it('keeps a shard that failed before anything was taken from it at the start', () => {
    const p = { NB: null, SB: ['2020-01-05', 'SB', 'C-9'] };
    expect(decodeRegionCursor(encodeRegionCursor(p))).toEqual(p);
    expect(positionOf(p, 'NB')).toBeNull();
    expect(positionOf(p, 'RV')).toEqual(p.SB);
  });
});

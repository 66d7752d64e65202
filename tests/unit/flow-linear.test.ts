// The one-pass test of which unit vectors a basis determines agrees with reducing each one.
import fc from 'fast-check';
import { determinedUnits, echelon, isDetermined } from '../../gateway/src/workforce-flows/linear';

describe('determined unit vectors', () => {
  it('marks exactly the columns whose unit vector the rows determine', () => {
    const matrix = fc
      .integer({ min: 1, max: 9 })
      .chain((width) =>
        fc.array(fc.array(fc.constantFrom(0, 1), { minLength: width, maxLength: width }), { maxLength: 10 }),
      );
    fc.assert(
      fc.property(matrix, (rows) => {
        const width = rows[0]?.length ?? 3;
        const basis = echelon(
          rows.map((r) => Float64Array.from(r)),
          width,
        );
        const units = determinedUnits(basis, width);
        for (let k = 0; k < width; k++) {
          const unit = new Float64Array(width);
          unit[k] = 1;
          expect(units[k] === 1).toBe(isDetermined(basis, unit));
        }
      }),
      { numRuns: 500 },
    );
  });
});

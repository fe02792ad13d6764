import fc from 'fast-check';
import { standardisationOf, standardise, unstandardise } from './standardisation';

describe('standardisation', () => {
  it('mean 0 and sd 1 per column; a constant column stays 0', () => {
    const rows = [[1, 5], [3, 5], [5, 5]];
    const scale = standardisationOf(rows);
    expect(scale.means).toEqual([3, 5]);
    expect(scale.sds[1]).toBe(1);
    const z = rows.map((r) => standardise(r, scale));
    expect(z.map((r) => r[1])).toEqual([0, 0, 0]);
    expect(z.reduce((s, r) => s + r[0] ** 2, 0) / 3).toBeCloseTo(1, 10);
  });

  it('unstandardise undoes standardise', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: 0, max: 10, noNaN: true })), { minLength: 1, maxLength: 30 }), (pairs) => {
        const rows = pairs.map(([a, b]) => [a, b]);
        const scale = standardisationOf(rows);
        for (const row of rows) unstandardise(standardise(row, scale), scale).forEach((x, j) => expect(x).toBeCloseTo(row[j], 3));
      }),
    );
  });
});

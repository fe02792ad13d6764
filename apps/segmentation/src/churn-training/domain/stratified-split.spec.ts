import fc from 'fast-check';
import { stratifiedSplit } from './stratified-split';

const rows = (churned: number, stayed: number) =>
  Array.from({ length: churned + stayed }, (_, i) => ({ customerId: `C${i}`, asOf: '2026-03-31T23:59:59+08:00', churned: i < churned }));
const ids = (set: Array<{ customerId: string }>) => set.map((r) => r.customerId).sort();

describe('stratifiedSplit (deterministic by seed, same churn rate in train and test)', () => {
  it('gives the same split for the same seed, whatever the order of the lines', () => {
    const data = rows(40, 160);
    const once = stratifiedSplit(data, 0.25, 'meridian');
    const shuffled = stratifiedSplit([...data].reverse(), 0.25, 'meridian');
    expect(ids(shuffled.test)).toEqual(ids(once.test));
    expect(ids(shuffled.train)).toEqual(ids(once.train));
  });

  it('gives another split for another seed', () => {
    const data = rows(40, 160);
    expect(ids(stratifiedSplit(data, 0.25, 'a').test)).not.toEqual(ids(stratifiedSplit(data, 0.25, 'b').test));
  });

  it.each([
    [40, 160, 0.25, 10, 40],
    [3, 7, 0.5, 2, 4], // 1.5 → 2, 3.5 → 4 (rounded per class)
    [2, 2, 0.1, 1, 1], // at least one of each class held out
    [2, 5, 0.9, 1, 4], // never all of a class: one stays to train on
  ])('%i churned, %i stayed, %f held out → %i churned and %i stayed in test', (churned, stayed, share, testChurned, testStayed) => {
    const { test, train } = stratifiedSplit(rows(churned, stayed), share, 'meridian');
    expect(test.filter((r) => r.churned)).toHaveLength(testChurned);
    expect(test.filter((r) => !r.churned)).toHaveLength(testStayed);
    expect(train).toHaveLength(churned + stayed - testChurned - testStayed);
  });

  it.each([
    [rows(1, 10), 0.25, 'at least two churned rows, got 1'],
    [rows(10, 0), 0.25, 'at least two stayed rows, got 0'],
    [rows(10, 10), 0, 'between 0 and 1, got 0'],
    [rows(10, 10), 1, 'between 0 and 1, got 1'],
    [rows(10, 10), Number.NaN, 'between 0 and 1'],
  ])('refuses %#', (data, share, message) => {
    expect(() => stratifiedSplit(data, share, 'meridian')).toThrow(message);
  });

  it('puts every row in exactly one set and keeps each class’s share within one row', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 60 }), fc.integer({ min: 2, max: 60 }), fc.double({ min: 0.05, max: 0.95, noNaN: true }), fc.string(), (churned, stayed, share, seed) => {
        const data = rows(churned, stayed);
        const { train, test } = stratifiedSplit(data, share, seed);
        expect([...ids(train), ...ids(test)].sort()).toEqual(ids(data));
        for (const [n, inTest] of [
          [churned, test.filter((r) => r.churned).length],
          [stayed, test.filter((r) => !r.churned).length],
        ]) {
          expect(Math.abs(inTest - n * share)).toBeLessThanOrEqual(1);
          expect(inTest).toBeGreaterThanOrEqual(1);
          expect(inTest).toBeLessThan(n);
        }
      }),
    );
  });
});

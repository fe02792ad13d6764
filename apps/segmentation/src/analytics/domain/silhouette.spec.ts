import { silhouette } from './silhouette';

describe('silhouette', () => {
  it('two tight, far-apart clusters: near 1', () => {
    const s = silhouette([[0], [0.1], [10], [10.1]], [0, 0, 1, 1], 2);
    expect(s.overall).toBeGreaterThan(0.98);
    expect(s.byCluster.every((x) => x > 0.98)).toBe(true);
  });

  it('by hand: points 0, 1, 3 as {0, 1} and {3}', () => {
    // Point 0: a = 1, b = 3 → 2/3; point 1: a = 1, b = 2 → 1/2; point 3 alone → 0.
    const s = silhouette([[0], [1], [3]], [0, 0, 1], 2);
    expect(s.byCluster[0]).toBeCloseTo((2 / 3 + 1 / 2) / 2, 10);
    expect(s.byCluster[1]).toBe(0);
    expect(s.overall).toBeCloseTo((2 / 3 + 1 / 2) / 3, 10);
  });

  it('a wrong assignment scores below zero; an empty cluster scores 0 and is not a neighbour', () => {
    expect(silhouette([[0], [10], [0.1], [10.1]], [0, 0, 1, 1], 2).overall).toBeLessThan(0);
    const s = silhouette([[0], [0.1], [10], [10.1]], [0, 0, 2, 2], 3);
    expect(s.byCluster[1]).toBe(0);
    expect(s.overall).toBeGreaterThan(0.98);
  });

  it('identical points in two clusters: 0, not NaN', () => {
    expect(silhouette([[1], [1], [1], [1]], [0, 0, 1, 1], 2).overall).toBe(0);
    expect(silhouette([], [], 2)).toEqual({ overall: 0, byCluster: [0, 0] });
  });
});

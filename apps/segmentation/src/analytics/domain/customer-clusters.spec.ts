import { customerClusters, SampleTooSmallError } from './customer-clusters';
import { seededRandom } from './reservoir-sample';

const OPTIONS = { autoKMax: 8, seed: 42, silhouettePoints: 2000, maxIterations: 100 };

/** Three kinds of customer, well apart: lapsed and small; active digital mass; affluent multi-product. */
function threeGroups(n: number, seed = 3): number[][] {
  const random = seededRandom(seed);
  const jitter = (x: number, by: number) => x + (random() - 0.5) * by;
  return Array.from({ length: n }, (_, i) => {
    const g = i % 3;
    if (g === 0) return [jitter(1, 0.5), jitter(1, 0.5), jitter(1, 0.5), jitter(0.8, 0.1), jitter(2, 0.3), 1, jitter(0.1, 0.1)];
    if (g === 1) return [jitter(5, 0.5), jitter(4, 0.5), jitter(2, 0.5), jitter(0.1, 0.05), jitter(4, 0.3), 2, jitter(0.9, 0.1)];
    return [jitter(4, 0.5), jitter(3, 0.5), jitter(5, 0.5), jitter(0.05, 0.05), jitter(6.8, 0.3), 5, jitter(0.4, 0.1)];
  });
}

describe('customerClusters (ml-kmeans over standardised behaviour vectors)', () => {
  const sample = threeGroups(300);

  it('finds the three groups by silhouette; sizes sum to the sample; centroids in the bank’s units', () => {
    const answer = customerClusters(sample, OPTIONS);
    expect(answer).toMatchObject({ k: 3, chosenBy: 'silhouette', sampleSize: 300 });
    expect(answer.candidates?.map((c) => c.k)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(answer.clusters.map((c) => c.size)).toEqual([100, 100, 100]);
    expect(answer.clusters.reduce((s, c) => s + c.share, 0)).toBeCloseTo(1, 3);
    expect(answer.silhouette).toBeGreaterThan(0.6);
    const affluent = answer.clusters.find((c) => c.centroid.productsHeld === 5)!;
    expect(affluent.centroid.aumMinor).toBeGreaterThan(100_000_000); // ~10^6.8 CNY, in minor units
    expect(affluent.label).toBe('multi-product, big spenders'); // its two strongest traits: 5 products, M 5
  });

  it('a requested k is used; the same sample and k give the same answer', () => {
    const a = customerClusters(sample, { ...OPTIONS, k: 5 });
    expect(a).toMatchObject({ k: 5, chosenBy: 'request' });
    expect(a).not.toHaveProperty('candidates');
    expect(a.clusters).toHaveLength(5);
    expect(a.clusters.reduce((s, c) => s + c.size, 0)).toBe(300);
    expect(customerClusters(sample, { ...OPTIONS, k: 5 })).toEqual(a);
  });

  it('the silhouette reads at most so many points, and still scores', () => {
    const bounded = customerClusters(sample, { ...OPTIONS, k: 3, silhouettePoints: 30 });
    expect(bounded.silhouette).toBeGreaterThan(0.6);
  });

  it.each([
    ['an empty sample', 0, undefined],
    ['fewer customers than k', 4, 5],
    ['one customer, auto k', 1, undefined],
  ])('%s: too small', (_, n, k) => {
    expect(() => customerClusters(sample.slice(0, n), { ...OPTIONS, k })).toThrow(SampleTooSmallError);
  });

  it('auto k tries only as many clusters as there are customers', () => {
    expect(customerClusters(sample.slice(0, 4), OPTIONS).candidates?.map((c) => c.k)).toEqual([2, 3, 4]);
  });
});

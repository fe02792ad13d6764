export interface Silhouette {
  /** The mean over the points, −1 to 1: how much nearer each point is to its own cluster than to the next. */
  overall: number;
  /** Per cluster index, the mean over its points (0 for a cluster with none). */
  byCluster: number[];
}

const distance = (p: readonly number[], q: readonly number[]) => Math.sqrt(p.reduce((s, x, j) => s + (x - q[j]) ** 2, 0));

/**
 * The silhouette of a clustering (Rousseeuw 1987), Euclidean: s = (b − a) / max(a, b), a the
 * mean distance to the rest of its own cluster, b the smallest mean distance to another
 * cluster; a point alone in its cluster scores 0. Quadratic: callers bound the points.
 */
export function silhouette(points: readonly number[][], labels: readonly number[], k: number): Silhouette {
  const totals = Array.from({ length: k }, () => ({ sum: 0, n: 0 }));
  const counts = new Array<number>(k).fill(0);
  for (const label of labels) counts[label]++;
  for (let i = 0; i < points.length; i++) {
    const sums = new Array<number>(k).fill(0);
    for (let j = 0; j < points.length; j++) if (i !== j) sums[labels[j]] += distance(points[i], points[j]);
    const own = labels[i];
    let s = 0;
    if (counts[own] > 1) {
      const a = sums[own] / (counts[own] - 1);
      const b = Math.min(...sums.map((d, c) => (c !== own && counts[c] ? d / counts[c] : Infinity)));
      s = Number.isFinite(b) && Math.max(a, b) > 0 ? (b - a) / Math.max(a, b) : 0;
    }
    totals[own].sum += s;
    totals[own].n++;
  }
  const n = totals.reduce((m, t) => m + t.n, 0);
  return { overall: n ? totals.reduce((m, t) => m + t.sum, 0) / n : 0, byCluster: totals.map((t) => (t.n ? t.sum / t.n : 0)) };
}

export interface Silhouette {
  /** The mean over the points, −1 to 1: how much nearer each point is to its own cluster than to the next. */
  overall: number;
  /** Per cluster index, the mean over its points (0 for a cluster with none). */
  byCluster: number[];
}

/**
 * The silhouette of a clustering (Rousseeuw 1987), Euclidean: s = (b − a) / max(a, b), a the
 * mean distance to the rest of its own cluster, b the smallest mean distance to another
 * cluster; a point alone in its cluster scores 0. Quadratic (each pair once, over a flat
 * typed array: 2,000 points in tens of ms): callers bound the points.
 */
export function silhouette(points: readonly number[][], labels: readonly number[], k: number): Silhouette {
  const n = points.length;
  const width = points[0]?.length ?? 0;
  const flat = Float64Array.from(points.flat());
  // sums[i * k + c]: the distances of point i to the points of cluster c.
  const sums = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let d2 = 0;
      for (let x = 0; x < width; x++) {
        const diff = flat[i * width + x] - flat[j * width + x];
        d2 += diff * diff;
      }
      const d = Math.sqrt(d2);
      sums[i * k + labels[j]] += d;
      sums[j * k + labels[i]] += d;
    }
  }
  const counts = new Array<number>(k).fill(0);
  for (const label of labels) counts[label]++;
  const totals = Array.from({ length: k }, () => ({ sum: 0, n: 0 }));
  for (let i = 0; i < n; i++) {
    const own = labels[i];
    let s = 0;
    if (counts[own] > 1) {
      const a = sums[i * k + own] / (counts[own] - 1);
      let b = Infinity;
      for (let c = 0; c < k; c++) if (c !== own && counts[c]) b = Math.min(b, sums[i * k + c] / counts[c]);
      s = Number.isFinite(b) && Math.max(a, b) > 0 ? (b - a) / Math.max(a, b) : 0;
    }
    totals[own].sum += s;
    totals[own].n++;
  }
  return { overall: n ? totals.reduce((m, t) => m + t.sum, 0) / n : 0, byCluster: totals.map((t) => (t.n ? t.sum / t.n : 0)) };
}

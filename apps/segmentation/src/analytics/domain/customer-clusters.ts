import { kmeans } from 'ml-kmeans';
import { CLUSTER_FEATURES, inOriginalUnits } from './cluster-features';
import { clusterLabel } from './cluster-label';
import { silhouette } from './silhouette';
import { standardisationOf, standardise, unstandardise } from './standardisation';

export interface ClusteringOptions {
  /** Asked for; absent: the k of 2..`autoKMax` with the best silhouette (the smaller on a tie). */
  k?: number;
  autoKMax: number;
  /** k-means++ seed: the same sample and k, the same answer. */
  seed: number;
  /** At most so many points of the sample (evenly spaced in it) score a silhouette: it is quadratic. */
  silhouettePoints: number;
  maxIterations: number;
}

export interface CustomerCluster {
  size: number;
  share: number;
  /** The centroid in the bank's units (cluster-features.ts). */
  centroid: ReturnType<typeof inOriginalUnits>;
  label: string;
  silhouette: number;
}

export interface CustomerClusters {
  k: number;
  chosenBy: 'request' | 'silhouette';
  sampleSize: number;
  features: readonly string[];
  silhouette: number;
  /** Auto k only: each k tried and its silhouette. */
  candidates?: Array<{ k: number; silhouette: number }>;
  /** Largest first. */
  clusters: CustomerCluster[];
}

export class SampleTooSmallError extends Error {}

const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Indices of at most `m` of `n` points, evenly spaced: a uniform sample stays uniform. */
const evenlySpaced = (n: number, m: number) => Array.from({ length: Math.min(n, m) }, (_, i) => Math.floor((i * n) / Math.min(n, m)));

function clusterOnce(z: number[][], k: number, options: ClusteringOptions) {
  const result = kmeans(z, k, { seed: options.seed, initialization: 'kmeans++', maxIterations: options.maxIterations });
  const picked = evenlySpaced(z.length, options.silhouettePoints);
  const score = silhouette(picked.map((i) => z[i]), picked.map((i) => result.clusters[i]), k);
  return { result, score };
}

/**
 * Customer clusters over a sample of behaviour vectors (issue 10): standardised, k-means
 * (ml-kmeans, k-means++ seeded, so deterministic), each cluster's size, share, centroid
 * back in the bank's units, a label from its strongest traits, and its silhouette.
 */
export function customerClusters(vectors: readonly number[][], options: ClusteringOptions): CustomerClusters {
  const ks = options.k ? [options.k] : Array.from({ length: options.autoKMax - 1 }, (_, i) => i + 2).filter((k) => k <= vectors.length);
  if (!ks.length || ks[0] > vectors.length) throw new SampleTooSmallError(`the sample holds ${vectors.length} customers: too few for ${options.k ? `k = ${options.k}` : 'k = 2'}`);
  const scale = standardisationOf(vectors as number[][]);
  const z = vectors.map((v) => standardise(v, scale));
  const tried = ks.map((k) => ({ k, ...clusterOnce(z, k, options) }));
  const best = tried.reduce((a, b) => (b.score.overall > a.score.overall ? b : a));
  const sizes = new Array<number>(best.k).fill(0);
  for (const c of best.result.clusters) sizes[c]++;
  const clusters = best.result.centroids
    .map((centroidZ, c) => ({
      size: sizes[c],
      share: round(sizes[c] / vectors.length),
      centroid: Object.fromEntries(Object.entries(inOriginalUnits(unstandardise(centroidZ, scale))).map(([name, v]) => [name, name === 'aumMinor' ? v : round(v)])) as CustomerCluster['centroid'],
      label: clusterLabel(centroidZ),
      silhouette: round(best.score.byCluster[c]),
    }))
    .sort((a, b) => b.size - a.size || a.label.localeCompare(b.label));
  return {
    k: best.k,
    chosenBy: options.k ? 'request' : 'silhouette',
    sampleSize: vectors.length,
    features: CLUSTER_FEATURES,
    silhouette: round(best.score.overall),
    ...(!options.k && { candidates: tried.map((t) => ({ k: t.k, silhouette: round(t.score.overall) })) }),
    clusters,
  };
}

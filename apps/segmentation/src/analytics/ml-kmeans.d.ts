/**
 * ml-kmeans 7.0.1 ships its types beside an `exports` map, which this repository's `node`
 * module resolution does not read; this is the part analytics uses (lib/kmeans.d.ts).
 */
declare module 'ml-kmeans' {
  export interface KMeansResult {
    /** The cluster index of each point. */
    clusters: number[];
    centroids: number[][];
    converged: boolean;
    iterations: number;
  }
  export function kmeans(
    data: number[][],
    K: number,
    options: { seed?: number; initialization?: 'kmeans++' | 'random' | 'mostDistant' | number[][]; maxIterations?: number; tolerance?: number },
  ): KMeansResult;
}

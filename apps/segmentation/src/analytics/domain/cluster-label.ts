import { CLUSTER_FEATURES, ClusterFeature } from './cluster-features';

/** How a trait reads when a cluster stands out high or low on it. */
const TRAITS: Record<ClusterFeature, [high: string, low: string]> = {
  r: ['recent', 'lapsed'],
  f: ['frequent', 'infrequent'],
  m: ['big spenders', 'small spenders'],
  churnScore: ['at churn risk', 'loyal'],
  logAumCny: ['affluent', 'low AUM'],
  productsHeld: ['multi-product', 'few products'],
  digitalShare: ['digital', 'branch-reliant'],
};

/**
 * A short name for a cluster: its (at most `traits`) strongest traits, those at least
 * `minZ` standard deviations from the sample's mean, strongest first; "typical" when none is.
 */
export function clusterLabel(centroidZ: readonly number[], options: { traits?: number; minZ?: number } = {}): string {
  const { traits = 2, minZ = 0.5 } = options;
  const strongest = CLUSTER_FEATURES.map((feature, j) => ({ feature, z: centroidZ[j] }))
    .filter((t) => Math.abs(t.z) >= minZ)
    .sort((a, b) => Math.abs(b.z) - Math.abs(a.z))
    .slice(0, traits);
  return strongest.length ? strongest.map((t) => TRAITS[t.feature][t.z > 0 ? 0 : 1]).join(', ') : 'typical';
}

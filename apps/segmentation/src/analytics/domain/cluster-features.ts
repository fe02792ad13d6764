import type { CustomerSegmentState } from '../../segments/domain/segment-state';

/** The behaviour a clustering compares customers on, in this order in every vector (no PII, no customer id). */
export const CLUSTER_FEATURES = ['r', 'f', 'm', 'churnScore', 'logAumCny', 'productsHeld', 'digitalShare'] as const;
export type ClusterFeature = (typeof CLUSTER_FEATURES)[number];

/** Channels a customer serves themself through (CONTRACTS.md transaction channels). */
const DIGITAL_CHANNELS = ['MOBILE', 'ONLINE', 'WECHAT'];
const CNY = 100;

/**
 * One customer as numbers (issue 10: clusters over RFM and behaviour): the RFM scores, the
 * churn score, AUM on a log scale (log10 of 1 + CNY: a few millionaires must not be the only
 * axis), distinct product types held, and the share of the last 90 days' transactions made
 * through digital channels (0 with none).
 */
export function clusterVector(state: Pick<CustomerSegmentState, 'facts'>): number[] {
  const { rfm, churnScore, aumMinor, productsHeld } = state.facts;
  const byChannel = state.facts.byChannel90d ?? {};
  const all = Object.values(byChannel).reduce((n, c) => n + (c?.n ?? 0), 0);
  const digital = DIGITAL_CHANNELS.reduce((n, channel) => n + (byChannel[channel]?.n ?? 0), 0);
  return [rfm.r, rfm.f, rfm.m, churnScore, Math.log10(1 + aumMinor / CNY), new Set(productsHeld).size, all ? digital / all : 0];
}

/** A centroid back in the bank's units: AUM as minor units (from its log scale), the rest as they were. */
export function inOriginalUnits(vector: readonly number[]): Record<Exclude<ClusterFeature, 'logAumCny'> | 'aumMinor', number> {
  const [r, f, m, churnScore, logAumCny, productsHeld, digitalShare] = vector;
  return { r, f, m, churnScore, aumMinor: Math.round((10 ** logAumCny - 1) * CNY), productsHeld, digitalShare };
}

import type { SegmentFacts } from '../segment-facts';

/** A plain ACTIVE MASS customer with no optional features: tests set what they decide on. */
export function sampleFacts(over: Partial<SegmentFacts> = {}): SegmentFacts {
  return {
    aumMinor: 0,
    productsHeld: ['DEPOSIT_CURRENT'],
    txnCount30d: 5,
    txnCount90d: 15,
    txnAmount30dMinor: 0,
    txnAmount90dMinor: 0,
    tags: [],
    tier: 'MASS',
    lifecycleStage: 'ACTIVE',
    churnScore: 0.1,
    churnBand: 'LOW',
    rfm: { r: 3, f: 3, m: 3, segment: 'Need Attention' },
    ...over,
  };
}

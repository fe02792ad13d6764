import type { RfmSegment } from '@meridian/events';
import { daysSince } from './elapsed-days';
import { SegmentationRules } from './segmentation-rules';

export interface RfmInput {
  /** The last customer-initiated transaction (not FEE or INTEREST); none ever → recency 1. */
  lastTransactionAt?: string;
  /** Customer-initiated transactions in the last 90 days. */
  txnCount90d: number;
  /** Their amount in the last 90 days, CNY minor units. */
  txnAmount90dMinor: number;
}

export interface RfmScores {
  r: number;
  f: number;
  m: number;
  rfmSegment: RfmSegment;
}

/** 5 for the first breakpoint met, 4 for the second, … 1 for none. */
function score(meets: (breakpoint: number) => boolean, breakpoints: readonly number[]): number {
  const i = breakpoints.findIndex(meets);
  return i < 0 ? 1 : 5 - i;
}

/**
 * The usual RFM segment map over recency and frequency (rows R 1–5, columns F 1–5); monetary
 * is scored and published beside it, as the map is.
 */
const SEGMENT_MAP: ReadonlyArray<readonly RfmSegment[]> = [
  ['Lost', 'Hibernating', 'At Risk', 'At Risk', "Can't Lose"],
  ['Hibernating', 'Hibernating', 'At Risk', 'At Risk', "Can't Lose"],
  ['About to Sleep', 'About to Sleep', 'Need Attention', 'Loyal', 'Loyal'],
  ['Promising', 'Potential Loyalist', 'Potential Loyalist', 'Loyal', 'Loyal'],
  ['New', 'Potential Loyalist', 'Potential Loyalist', 'Champions', 'Champions'],
];

export function rfmSegment(r: number, f: number): RfmSegment {
  return SEGMENT_MAP[r - 1][f - 1];
}

/** RFM with fixed breakpoints (DOMAIN.md: RFM); the quantile mode passes breakpoints the sweep recalibrated. */
export function rfmScores(input: RfmInput, asOf: string, breakpoints: Pick<SegmentationRules, 'recencyDays' | 'frequencyCounts' | 'monetaryMinor'>): RfmScores {
  const r = input.lastTransactionAt ? score((days) => daysSince(input.lastTransactionAt as string, asOf) <= days, breakpoints.recencyDays) : 1;
  const f = score((n) => input.txnCount90d >= n, breakpoints.frequencyCounts);
  const m = score((minor) => input.txnAmount90dMinor >= minor, breakpoints.monetaryMinor);
  return { r, f, m, rfmSegment: rfmSegment(r, f) };
}

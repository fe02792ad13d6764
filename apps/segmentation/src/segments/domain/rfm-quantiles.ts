import { daysSince } from './elapsed-days';
import { RfmInput } from './rfm-score';
import { SegmentationRules } from './segmentation-rules';

/** One value per customer of the base: what RFM scores (rfm-score.ts RfmInput), as the daily sweep reads it. */
export interface RfmSample {
  /** Days since the last customer-initiated transaction, of the customers who ever made one (the others score R 1 whatever the breakpoints). */
  recencyDays: number[];
  /** Customer-initiated transactions in the last 90 days. */
  frequencyCounts: number[];
  /** Their amount in the last 90 days, CNY minor units. */
  monetaryMinor: number[];
}

export type RfmBreakpoints = Pick<SegmentationRules, 'recencyDays' | 'frequencyCounts' | 'monetaryMinor'>;

type Four = [number, number, number, number];

/** Far above any real count, day or amount, and leaves room for the nudges to stay exact. */
const CEILING = 2 ** 52;

/** Whole numbers in [0, CEILING], sorted; anything else (negative, NaN, infinite) is no measurement and is left out. */
function usable(values: number[]): number[] {
  return values.filter((v) => Number.isFinite(v) && v >= 0).map((v) => Math.min(Math.round(v), CEILING)).sort((a, b) => a - b);
}

/** The smallest value at or below which at least k fifths of the sorted sample lie (k = 1…4). */
const lowerFifth = (sorted: number[], k: number) => sorted[Math.ceil((k * sorted.length) / 5) - 1];
/** The largest value at or above which at least k fifths of the sorted sample lie. */
const upperFifth = (sorted: number[], k: number) => sorted[sorted.length - Math.ceil((k * sorted.length) / 5)];

/** Recency, lower is better: score 5 for the best fifth (days ≤ the 20 % quantile), … 1 above the 80 %; rising, the first ≥ 0. */
function recencyBreakpoints(sorted: number[]): Four {
  const out = [1, 2, 3, 4].map((k) => lowerFifth(sorted, k)) as Four;
  for (let i = 1; i < 4; i++) out[i] = Math.max(out[i], out[i - 1] + 1);
  return out;
}

/** Frequency and monetary, higher is better: score 5 for the top fifth (≥ the 80 % quantile), …; falling, the last ≥ 1. */
function higherIsBetterBreakpoints(sorted: number[]): Four {
  const out = [1, 2, 3, 4].map((k) => upperFifth(sorted, k)) as Four;
  out[3] = Math.max(out[3], 1);
  for (let i = 2; i >= 0; i--) out[i] = Math.max(out[i], out[i + 1] + 1);
  return out;
}

/**
 * DOMAIN.md RFM, quantile mode: breakpoints at the quintiles of the customer base, so each
 * score holds about a fifth of it. Ties (many customers with 0 transactions, say) are nudged
 * apart by one day, one transaction or one minor unit, so the breakpoints always have the
 * shape ruleProblems demands — a tied score then holds more or fewer than a fifth. Each
 * dimension on its own keeps the fixed breakpoints while fewer than rfmQuantileMinCustomers
 * customers measure it (quintiles of a handful say nothing about a bank).
 */
export function rfmQuantileBreakpoints(sample: RfmSample, fallback: RfmBreakpoints & Pick<SegmentationRules, 'rfmQuantileMinCustomers'>): RfmBreakpoints {
  const enough = (sorted: number[]) => sorted.length >= Math.max(fallback.rfmQuantileMinCustomers, 5);
  const [recency, frequency, monetary] = [sample.recencyDays, sample.frequencyCounts, sample.monetaryMinor].map(usable);
  return {
    recencyDays: enough(recency) ? recencyBreakpoints(recency) : [...fallback.recencyDays] as Four,
    frequencyCounts: enough(frequency) ? higherIsBetterBreakpoints(frequency) : [...fallback.frequencyCounts] as Four,
    monetaryMinor: enough(monetary) ? higherIsBetterBreakpoints(monetary) : [...fallback.monetaryMinor] as Four,
  };
}

/** An empty sample, to measure a base into. */
export const emptyRfmSample = (): RfmSample => ({ recencyDays: [], frequencyCounts: [], monetaryMinor: [] });

/**
 * One customer measured into the sample at `asOf`, as rfmScores reads them: recency only of
 * those who ever transacted (the others score R 1 whatever the breakpoints).
 */
export function measureRfm(sample: RfmSample, input: RfmInput, asOf: string): void {
  if (input.lastTransactionAt) sample.recencyDays.push(daysSince(input.lastTransactionAt, asOf));
  sample.frequencyCounts.push(input.txnCount90d);
  sample.monetaryMinor.push(input.txnAmount90dMinor);
}

/** Whether two sets of breakpoints score every customer alike. */
export function sameBreakpoints(a: RfmBreakpoints, b: RfmBreakpoints): boolean {
  const same = (x: readonly number[], y: readonly number[]) => x.length === y.length && x.every((v, i) => v === y[i]);
  return same(a.recencyDays, b.recencyDays) && same(a.frequencyCounts, b.frequencyCounts) && same(a.monetaryMinor, b.monetaryMinor);
}

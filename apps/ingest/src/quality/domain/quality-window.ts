/**
 * DOMAIN.md data quality: each field rule failure is counted per source and field; when,
 * over a window of at least `minRecords` records from one source, more than `threshold`
 * of them fail one rule, an alert is due. Counts live in per-minute buckets; a window is
 * the sum of its buckets.
 */

export interface QualityThresholds {
  minRecords: number;
  /** A share in [0, 1]: 0.05 is 5 %. */
  threshold: number;
}

/** One bucket (or a window): records seen, records rejected, failures by `field|rule`. */
export interface QualityCounts {
  records: number;
  rejected: number;
  failures: Map<string, number>;
}

export interface RuleRate {
  field: string;
  rule: string;
  failures: number;
  rate: number;
  alerting: boolean;
}

const SEP = '|';

export function failureKey(field: string, rule: string): string {
  return `${field}${SEP}${rule}`;
}

export function splitFailureKey(key: string): { field: string; rule: string } {
  const i = key.lastIndexOf(SEP);
  return { field: key.slice(0, i), rule: key.slice(i + 1) };
}

export function emptyCounts(): QualityCounts {
  return { records: 0, rejected: 0, failures: new Map() };
}

/** Adds one record's outcome: each distinct (field, rule) it failed counts once. */
export function observe(counts: QualityCounts, failed: ReadonlyArray<{ field: string; rule: string }>): void {
  counts.records++;
  if (failed.length) counts.rejected++;
  for (const key of new Set(failed.map((f) => failureKey(f.field, f.rule)))) counts.failures.set(key, (counts.failures.get(key) ?? 0) + 1);
}

export function sumCounts(buckets: readonly QualityCounts[]): QualityCounts {
  const total = emptyCounts();
  for (const b of buckets) {
    total.records += b.records;
    total.rejected += b.rejected;
    for (const [k, n] of b.failures) total.failures.set(k, (total.failures.get(k) ?? 0) + n);
  }
  return total;
}

/** Failure rate of each rule over the window, worst first, and whether it is over the line. */
export function ruleRates(window: QualityCounts, limits: QualityThresholds): RuleRate[] {
  return [...window.failures]
    .map(([key, failures]) => {
      const rate = window.records ? failures / window.records : 0;
      return { ...splitFailureKey(key), failures, rate, alerting: window.records >= limits.minRecords && rate > limits.threshold };
    })
    .sort((a, b) => b.rate - a.rate || a.field.localeCompare(b.field));
}

/** The minute bucket an instant falls in, and the buckets of the window ending there. */
export function windowBuckets(at: Date, windowMinutes: number): number[] {
  const current = Math.floor(at.getTime() / 60_000);
  return Array.from({ length: windowMinutes }, (_, i) => current - i);
}

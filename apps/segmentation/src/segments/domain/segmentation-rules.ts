import type { Tier } from '@meridian/events';

/**
 * The numbers of DOMAIN.md segmentation decides by (value tiers, RFM, lifecycle stages), in
 * one place: each bank sets its own, and the service validates them at start.
 */
export interface SegmentationRules {
  /** AUM (CNY minor units) a tier needs at least; MASS is below SILVER. */
  tierThresholdsMinor: Record<Exclude<Tier, 'MASS'>, number>;
  /** Days AUM must stay below the current tier's threshold before the downgrade applies. */
  downgradeGraceDays: number;
  /** RFM recency: days since the last customer-initiated transaction, at most, for scores 5, 4, 3, 2. */
  recencyDays: [number, number, number, number];
  /** RFM frequency: transactions in 90 days, at least, for scores 5, 4, 3, 2. */
  frequencyCounts: [number, number, number, number];
  /** RFM monetary: CNY minor units in 90 days, at least, for scores 5, 4, 3, 2. */
  monetaryMinor: [number, number, number, number];
  /** Lifecycle: a first product this recent (days) is NEW. */
  newWithinDays: number;
  /** Lifecycle: no customer-initiated transaction for this long (days) is DORMANT. */
  dormantAfterDays: number;
  /** Lifecycle: no customer-initiated transaction for this long (days) is AT_RISK. */
  atRiskAfterDays: number;
  /** Lifecycle: AUM this far below its 90-day peak (0–1) is AT_RISK. */
  atRiskAumDropFromPeak: number;
  /** Lifecycle: a churn risk score at least this (0–1) is AT_RISK. */
  atRiskChurnScore: number;
  /** Churn risk bands: MEDIUM from, HIGH from (0–1). */
  churnBands: { medium: number; high: number };
}

const CNY = 100;

export const DEFAULT_SEGMENTATION_RULES: SegmentationRules = {
  tierThresholdsMinor: { DIAMOND: 6_000_000 * CNY, GOLD: 500_000 * CNY, SILVER: 50_000 * CNY },
  downgradeGraceDays: 30,
  recencyDays: [7, 30, 60, 90],
  frequencyCounts: [30, 15, 8, 3],
  monetaryMinor: [500_000 * CNY, 100_000 * CNY, 20_000 * CNY, 5_000 * CNY],
  newWithinDays: 90,
  dormantAfterDays: 180,
  atRiskAfterDays: 90,
  atRiskAumDropFromPeak: 0.5,
  atRiskChurnScore: 0.7,
  churnBands: { medium: 0.4, high: 0.7 },
};

/** What is wrong with a bank's rules, one message a rule (empty when they hold together). */
export function ruleProblems(rules: SegmentationRules): string[] {
  const problems: string[] = [];
  const { DIAMOND, GOLD, SILVER } = rules.tierThresholdsMinor;
  if (!(DIAMOND > GOLD && GOLD > SILVER && SILVER > 0)) problems.push('tierThresholdsMinor must fall from DIAMOND to GOLD to SILVER, all above 0');
  const rising = (xs: number[]) => xs.every((x, i) => i === 0 || x > xs[i - 1]);
  const falling = (xs: number[]) => xs.every((x, i) => i === 0 || x < xs[i - 1]);
  if (!rising(rules.recencyDays) || rules.recencyDays[0] < 0) problems.push('recencyDays must rise (days for scores 5, 4, 3, 2)');
  if (!falling(rules.frequencyCounts) || rules.frequencyCounts[3] < 1) problems.push('frequencyCounts must fall (counts for scores 5, 4, 3, 2), the last at least 1');
  if (!falling(rules.monetaryMinor) || rules.monetaryMinor[3] < 1) problems.push('monetaryMinor must fall (amounts for scores 5, 4, 3, 2), the last at least 1');
  if (!(rules.downgradeGraceDays >= 0)) problems.push('downgradeGraceDays must be 0 or more');
  if (!(rules.atRiskAfterDays < rules.dormantAfterDays)) problems.push('atRiskAfterDays must be below dormantAfterDays');
  for (const k of ['atRiskAumDropFromPeak', 'atRiskChurnScore'] as const) if (!(rules[k] > 0 && rules[k] <= 1)) problems.push(`${k} must be in (0, 1]`);
  if (!(rules.churnBands.medium > 0 && rules.churnBands.medium < rules.churnBands.high && rules.churnBands.high < 1)) problems.push('churn bands must hold 0 < MEDIUM from < HIGH from < 1');
  return problems;
}

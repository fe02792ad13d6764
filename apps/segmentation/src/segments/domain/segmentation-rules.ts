import { PRODUCT_TYPES, ProductType, Tier } from '@meridian/events';

/** DOMAIN.md: customer lifetime value, CLV = m × r / (1 + d − r). */
export interface ClvRules {
  /** m: the share of a product type's balance it earns the bank in a year (0–1): the spread on deposits and wealth, interest on loans and cards. */
  marginByType: Record<ProductType, number>;
  /** m: the last 90 days' fees times this make a year's. */
  feeAnnualisation: number;
  /** d, 0–1. */
  discountRate: number;
  /** r = 1 − churn score, clamped to [min, max] (0 ≤ min ≤ max < 1, so 1 + d − r stays above 0). */
  retentionRange: { min: number; max: number };
}

/** DOMAIN.md RFM: FIXED breakpoints, or QUANTILE ones the daily sweep recalibrates from the customer base. */
export const RFM_MODES = ['FIXED', 'QUANTILE'] as const;
export type RfmMode = (typeof RFM_MODES)[number];

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
  /** RFM breakpoints: the fixed ones above, or quantiles of the customer base (rfm-quantiles.ts). */
  rfmMode: RfmMode;
  /** Quantile mode: a score dimension with fewer customers than this in the sample keeps the fixed breakpoints. */
  rfmQuantileMinCustomers: number;
  clv: ClvRules;
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
  rfmMode: 'FIXED',
  rfmQuantileMinCustomers: 50,
  clv: {
    marginByType: {
      DEPOSIT_CURRENT: 0.015,
      DEPOSIT_TIME: 0.008,
      WEALTH: 0.006,
      FUND: 0.008,
      INSURANCE: 0.01,
      CREDIT_CARD: 0.02,
      MORTGAGE: 0.02,
      CONSUMER_LOAN: 0.02,
      BUSINESS_LOAN: 0.02,
    },
    feeAnnualisation: 4,
    discountRate: 0.08,
    retentionRange: { min: 0.05, max: 0.98 },
  },
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
  if (!(RFM_MODES as readonly string[]).includes(rules.rfmMode)) problems.push(`rfmMode must be one of ${RFM_MODES.join(', ')}`);
  if (!(Number.isInteger(rules.rfmQuantileMinCustomers) && rules.rfmQuantileMinCustomers >= 5)) problems.push('rfmQuantileMinCustomers must be a whole number, at least 5 (one customer a score)');
  problems.push(...clvRuleProblems(rules.clv));
  return problems;
}

function clvRuleProblems(clv: ClvRules): string[] {
  const problems: string[] = [];
  const share = (x: number) => Number.isFinite(x) && x >= 0 && x <= 1;
  const badMargins = PRODUCT_TYPES.filter((type) => !share(clv.marginByType[type]));
  if (badMargins.length) problems.push(`clv margins must be in [0, 1] for every product type (not: ${badMargins.join(', ')})`);
  if (!(Number.isFinite(clv.feeAnnualisation) && clv.feeAnnualisation >= 0)) problems.push('clv feeAnnualisation must be 0 or more');
  if (!share(clv.discountRate)) problems.push('clv discountRate must be in [0, 1]');
  const { min, max } = clv.retentionRange;
  if (!(min >= 0 && min <= max && max < 1)) problems.push('clv retention range must hold 0 ≤ min ≤ max < 1');
  return problems;
}

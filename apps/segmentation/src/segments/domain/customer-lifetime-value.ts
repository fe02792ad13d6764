import type { ProductType } from '@meridian/events';
import { parseNamedNumbers } from './named-numbers';
import { ClvRules, DEFAULT_SEGMENTATION_RULES } from './segmentation-rules';

/** What CLV reads: the profile's balancesByType and fees90dMinor (crm.profile.v1), and the churn score segmentation assessed. */
export interface ClvInput {
  /** CNY minor units per product type held (absent: none known, counted as 0). */
  balancesByType?: Partial<Record<ProductType, number>>;
  /** FEE transactions of the last 90 days, CNY minor units. */
  fees90dMinor?: number;
  /** 0–1 (churn-risk.ts). */
  churnScore: number;
}

export interface CustomerLifetimeValue {
  /** CLV, CNY minor units, rounded to a whole minor unit. */
  clvMinor: number;
  /** m: a year's margin on the balances plus a year's fees, CNY minor units, rounded. */
  annualContributionMinor: number;
  /** r: 1 − churn score, clamped to the rules' range. */
  retention: number;
}

/**
 * DOMAIN.md: customer lifetime value — CLV = m × r / (1 + d − r): the annual contribution m
 * kept with probability r each year, discounted at d (a geometric series). Never below 0:
 * balances and fees are 0 or more (the contract's own rule) and so are margins (ruleProblems),
 * and 1 + d − r > 0 since r < 1. Unknown product types earn nothing.
 */
export function customerLifetimeValue(input: ClvInput, rules: ClvRules): CustomerLifetimeValue {
  const balances = input.balancesByType ?? {};
  const onBalances = (Object.keys(balances) as ProductType[]).reduce((s, type) => s + (balances[type] ?? 0) * (rules.marginByType[type] ?? 0), 0);
  const m = onBalances + (input.fees90dMinor ?? 0) * rules.feeAnnualisation;
  const r = Math.min(rules.retentionRange.max, Math.max(rules.retentionRange.min, 1 - input.churnScore));
  return { clvMinor: Math.round((m * r) / (1 + rules.discountRate - r)), annualContributionMinor: Math.round(m), retention: r };
}

/** A bank's margins as `PRODUCT_TYPE=share,…` (e.g. `DEPOSIT_CURRENT=0.015`; any subset, the rest keep DOMAIN.md's); throws naming what is wrong. */
export function parseClvMargins(text: string): Record<ProductType, number> {
  return parseNamedNumbers(text, DEFAULT_SEGMENTATION_RULES.clv.marginByType, { name: 'product type', value: 'margin' });
}

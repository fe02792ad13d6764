import type { LifecycleStage } from '@meridian/events';
import { daysSince } from './elapsed-days';
import { SegmentationRules } from './segmentation-rules';

export interface LifecycleInput {
  productsHeld: number;
  /** When the customer first held a product; none → never held one. */
  firstProductAt?: string;
  /** The last customer-initiated transaction; none → inactivity counts from the first product. */
  lastTransactionAt?: string;
  aumMinor: number;
  aumPeak90dMinor?: number;
  /** The churn risk score (0–1), when known. */
  churnScore?: number;
}

export interface StageDecision {
  stage: LifecycleStage;
  /** Why, for a marketer. */
  reason: string;
}

/** The lifecycle stage at `asOf` (DOMAIN.md: lifecycle stages, evaluated in order; the first that holds wins). */
export function lifecycleStage(input: LifecycleInput, asOf: string, rules: SegmentationRules): StageDecision {
  if (!input.firstProductAt) {
    return input.productsHeld > 0 ? { stage: 'NEW', reason: 'holds a product (first seen now)' } : { stage: 'PROSPECT', reason: 'has never held a product' };
  }
  if (input.productsHeld === 0) return { stage: 'CHURNED', reason: 'has held products, now holds none' };
  const sinceFirst = daysSince(input.firstProductAt, asOf);
  if (sinceFirst < rules.newWithinDays) return { stage: 'NEW', reason: `first product ${sinceFirst} days ago (NEW within ${rules.newWithinDays})` };
  const idle = daysSince(input.lastTransactionAt ?? input.firstProductAt, asOf);
  const idleWhat = input.lastTransactionAt ? 'no customer-initiated transaction' : 'no customer-initiated transaction ever';
  if (idle >= rules.dormantAfterDays) return { stage: 'DORMANT', reason: `${idleWhat} for ${idle} days (DORMANT from ${rules.dormantAfterDays})` };
  if (idle >= rules.atRiskAfterDays) return { stage: 'AT_RISK', reason: `${idleWhat} for ${idle} days (AT_RISK from ${rules.atRiskAfterDays})` };
  const peak = input.aumPeak90dMinor ?? 0;
  if (peak > 0 && input.aumMinor <= peak * (1 - rules.atRiskAumDropFromPeak)) {
    return { stage: 'AT_RISK', reason: `AUM fell ${Math.round((1 - input.aumMinor / peak) * 100)} % from its 90-day peak (AT_RISK from ${Math.round(rules.atRiskAumDropFromPeak * 100)} %)` };
  }
  if (input.churnScore !== undefined && input.churnScore >= rules.atRiskChurnScore) {
    return { stage: 'AT_RISK', reason: `churn risk score ${input.churnScore.toFixed(2)} (AT_RISK from ${rules.atRiskChurnScore})` };
  }
  return { stage: 'ACTIVE', reason: 'holds products and transacts' };
}

import type { ProductType } from '@meridian/events';

/**
 * The numbers of DOMAIN.md's loyalty points in one place (issue 13, point 4): each bank sets its
 * own, and the service checks them at start (loyaltyRuleProblems).
 */
export interface LoyaltyRules {
  /** Spend, in CNY minor units, that earns one point: 10,000 fen (DOMAIN.md: 1 point per 100 CNY of card PURCHASE). */
  minorPerPoint: number;
  /** The products whose PURCHASE debits earn points: the cards. */
  earningProductTypes: readonly ProductType[];
  /** Awarded points lapse this many calendar months after they were earned, oldest first (DOMAIN.md: 24 months). */
  expiryMonths: number;
  /** Points for a referral (DOMAIN.md: bonus for referrals), once a referred customer. */
  referralPoints: number;
  /** Points for a campaign goal met (DOMAIN.md: bonus for campaign goals), once a converted message. */
  goalPoints: number;
  /** The most points one redemption may spend: a bound on a mistyped request, not a limit of the ledger. */
  maxRedemptionPoints: number;
}

export const DEFAULT_LOYALTY_RULES: LoyaltyRules = {
  minorPerPoint: 10_000,
  earningProductTypes: ['CREDIT_CARD'],
  expiryMonths: 24,
  referralPoints: 500,
  goalPoints: 200,
  maxRedemptionPoints: 10_000_000,
};

const positiveWhole = (n: number) => Number.isSafeInteger(n) && n > 0;

/** What is wrong with a bank's loyalty rules, one message a rule naming the field (empty when they hold together). */
export function loyaltyRuleProblems(rules: LoyaltyRules, knownProductTypes: readonly string[]): string[] {
  const problems: string[] = [];
  if (!positiveWhole(rules.minorPerPoint)) problems.push('minorPerPoint must be a whole number of minor units above 0');
  const unknown = rules.earningProductTypes.filter((t) => !knownProductTypes.includes(t));
  if (unknown.length || new Set(rules.earningProductTypes).size !== rules.earningProductTypes.length) problems.push(`earningProductTypes must name product types (${knownProductTypes.join(', ')}), each once`);
  if (!positiveWhole(rules.expiryMonths) || rules.expiryMonths > 120) problems.push('expiryMonths must be a whole number of months from 1 to 120');
  for (const field of ['referralPoints', 'goalPoints'] as const) if (!Number.isSafeInteger(rules[field]) || rules[field] < 0 || rules[field] > 1_000_000) problems.push(`${field} must be a whole number of points from 0 to 1,000,000`);
  if (!positiveWhole(rules.maxRedemptionPoints)) problems.push('maxRedemptionPoints must be a whole number above 0');
  return problems;
}

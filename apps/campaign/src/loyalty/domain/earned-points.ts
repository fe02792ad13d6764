import { createHash } from 'node:crypto';
import type { LoyaltyRules } from './loyalty-rules';
import type { PointsCommand } from './points-ledger';
import { pointsExpireAt } from './points-expiry';
import { EarningTransaction, purchaseAward } from './purchase-award';

/** Something that may earn a customer points (DOMAIN.md: card PURCHASE, referrals, campaign goals). */
export type PointsEarned =
  | { kind: 'PURCHASE'; customerId: string; transaction: EarningTransaction }
  /** A campaign's goal met: the converted message (ConversionAttributed), once. */
  | { kind: 'CAMPAIGN_GOAL'; customerId: string; messageId: string; at: string }
  /** The customer brought `referredCustomerId` to the bank: once a referred customer (the API claims the referred customer first). */
  | { kind: 'REFERRAL'; customerId: string; referredCustomerId: string; at: string };

/** Another customer's id as a ledger keeps it: hashed, so the referrer's ledger names no one once the referred customer is erased (PIPL). */
export const customerRef = (customerId: string) => createHash('sha256').update(`meridian-referral\u0000${customerId}`).digest('base64url').slice(0, 22);

/** The award it makes, if any: its points by the bank's rules, its cause once a ledger, its lapse counted from when it was earned. */
export function awardOf(earned: PointsEarned, rules: LoyaltyRules): Extract<PointsCommand, { kind: 'AWARD' }> | undefined {
  if (earned.kind === 'PURCHASE') return purchaseAward(earned.transaction, rules);
  const [points, ref, reason] = earned.kind === 'CAMPAIGN_GOAL' ? [rules.goalPoints, `goal:${earned.messageId}`, 'CAMPAIGN_GOAL' as const] : [rules.referralPoints, `referral:${customerRef(earned.referredCustomerId)}`, 'REFERRAL' as const];
  if (points < 1) return undefined;
  return { kind: 'AWARD', ref, points, at: earned.at, reason, expiresAt: pointsExpireAt(earned.at, rules.expiryMonths) };
}

import type { TransactionCategory, TransactionDirection, ProductType } from '@meridian/events';
import type { LoyaltyRules } from './loyalty-rules';
import type { PointsCommand } from './points-ledger';
import { pointsExpireAt } from './points-expiry';

/** What a posted transaction tells the ledger. */
export interface EarningTransaction {
  sourceSystem: string;
  transactionId: string;
  productType: ProductType;
  direction: TransactionDirection;
  category: TransactionCategory;
  /** The amount in CNY minor units (a foreign purchase at its CNY value). */
  amountCnyMinor: number;
  /** When it was booked (or happened): the points are earned then, and lapse counted from then. */
  at: string;
}

/** The award's cause: the transaction in its source system, so the same purchase under another eventId is the same award. */
export const purchaseRef = (t: Pick<EarningTransaction, 'sourceSystem' | 'transactionId'>) => `txn:${t.sourceSystem}:${t.transactionId}`;

/**
 * The points a transaction earns (DOMAIN.md: 1 point per 100 CNY of card PURCHASE): a PURCHASE
 * debit of an earning product, whole points only (99.99 CNY earns none). A credit is a refund or a
 * reversal — it earns nothing, and the purchase it reverses earned once, by its own reference.
 */
export function purchaseAward(t: EarningTransaction, rules: Pick<LoyaltyRules, 'minorPerPoint' | 'earningProductTypes' | 'expiryMonths'>): Extract<PointsCommand, { kind: 'AWARD' }> | undefined {
  if (t.category !== 'PURCHASE' || t.direction !== 'DEBIT' || !rules.earningProductTypes.includes(t.productType)) return undefined;
  const points = Math.floor(t.amountCnyMinor / rules.minorPerPoint);
  if (points < 1) return undefined;
  return { kind: 'AWARD', ref: purchaseRef(t), points, at: t.at, reason: 'CARD_PURCHASE', expiresAt: pointsExpireAt(t.at, rules.expiryMonths) };
}

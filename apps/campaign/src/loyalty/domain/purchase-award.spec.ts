import { DEFAULT_LOYALTY_RULES } from './loyalty-rules';
import { EarningTransaction, purchaseAward } from './purchase-award';

const purchase = (over: Partial<EarningTransaction> = {}): EarningTransaction => ({ sourceSystem: 'cards', transactionId: 'T1', productType: 'CREDIT_CARD', direction: 'DEBIT', category: 'PURCHASE', amountCnyMinor: 1_234_56, at: '2026-03-01T01:30:00.000Z', ...over });

describe('purchaseAward: 1 point per 100 CNY of card PURCHASE', () => {
  it.each<[string, Partial<EarningTransaction>, number | undefined]>([
    ['1,234.56 CNY on a card earns 12', {}, 12],
    ['exactly 100 CNY earns 1', { amountCnyMinor: 10_000 }, 1],
    ['99.99 CNY earns none', { amountCnyMinor: 9_999 }, undefined],
    ['a refund (credit) earns none', { direction: 'CREDIT' }, undefined],
    ['a card repayment is no purchase', { category: 'REPAYMENT' }, undefined],
    ['a purchase from a current account (not an earning product) earns none', { productType: 'DEPOSIT_CURRENT' }, undefined],
  ])('%s', (_, over, points) => {
    expect(purchaseAward(purchase(over), DEFAULT_LOYALTY_RULES)?.points).toBe(points);
  });

  it('is caused by the transaction in its source system, and lapses 24 months after it was booked', () => {
    expect(purchaseAward(purchase(), DEFAULT_LOYALTY_RULES)).toEqual({ kind: 'AWARD', ref: 'txn:cards:T1', points: 12, at: '2026-03-01T01:30:00.000Z', reason: 'CARD_PURCHASE', expiresAt: '2028-03-01T01:30:00.000Z' });
  });
});

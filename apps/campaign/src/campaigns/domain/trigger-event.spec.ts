import { TriggerEvent, replayedTriggers, triggerMatches } from './trigger-event';

const at = '2026-12-02T10:00:00.000Z';
const event = (e: Partial<TriggerEvent> & Pick<TriggerEvent, 'kind'>): TriggerEvent => ({ triggerId: 'evt-1', customerId: 'C1', at, ...e }) as TriggerEvent;

describe('which campaigns an event sets off', () => {
  it('a product opened of the trigger’s type (a mortgage → the renovation loan offer), no other', () => {
    expect(triggerMatches({ kind: 'PRODUCT_OPENED', productType: 'MORTGAGE' }, event({ kind: 'PRODUCT_OPENED', productType: 'MORTGAGE' }))).toBe(true);
    expect(triggerMatches({ kind: 'PRODUCT_OPENED', productType: 'MORTGAGE' }, event({ kind: 'PRODUCT_OPENED', productType: 'CREDIT_CARD' }))).toBe(false);
    expect(triggerMatches({ kind: 'PRODUCT_OPENED', productType: 'MORTGAGE' }, event({ kind: 'TRANSACTION', category: 'REPAYMENT', amountMinor: 1 }))).toBe(false);
  });

  it('a transaction of the trigger’s category at or above its amount', () => {
    const payroll = { kind: 'TRANSACTION', category: 'PAYROLL', minAmountMinor: 1_000_000 } as const;
    expect(triggerMatches(payroll, event({ kind: 'TRANSACTION', category: 'PAYROLL', amountMinor: 1_000_000 }))).toBe(true);
    expect(triggerMatches(payroll, event({ kind: 'TRANSACTION', category: 'PAYROLL', amountMinor: 999_999 }))).toBe(false);
    expect(triggerMatches(payroll, event({ kind: 'TRANSACTION', category: 'PURCHASE', amountMinor: 5_000_000 }))).toBe(false);
    expect(triggerMatches({ kind: 'TRANSACTION', category: 'INVESTMENT' }, event({ kind: 'TRANSACTION', category: 'INVESTMENT', amountMinor: 1 }))).toBe(true);
  });

  it('a scheduled campaign by no event at all (its batch run decides it)', () => {
    for (const e of [event({ kind: 'SCHEDULED' }), event({ kind: 'CHURN_RISK_HIGH' })]) expect(triggerMatches({ kind: 'SCHEDULED', at }, e)).toBe(false);
  });

  it('a trigger older than the age allowed is a replay: it only publishes again what it decided', () => {
    const now = new Date('2026-12-03T10:00:00.000Z');
    const triggers = [event({ kind: 'CHURN_RISK_HIGH', triggerId: 'old', at: '2026-12-02T09:59:59.999Z' }), event({ kind: 'CHURN_RISK_HIGH', triggerId: 'edge', at: '2026-12-02T10:00:00.000Z' })];
    expect([...replayedTriggers(triggers, now, 24)]).toEqual(['old']);
  });
});

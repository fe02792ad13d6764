import { ProfileEvent, foldEvent } from '../domain/fold-event';
import { startOfBusinessDay } from '../domain/next-window-change';
import { DEFAULT_PROFILE_RULES } from '../domain/profile-rules';
import { ProfileState, emptyProfile } from '../domain/profile-state';
import { isRollAnnouncement, rollCause, rollCustomer } from './roll-customer';

const rules = DEFAULT_PROFILE_RULES;
const purchase = (at: string, id: string): ProfileEvent => ({
  eventId: `e-${id}`,
  type: 'TransactionPosted',
  occurredAt: at,
  payload: { transactionId: id, productId: 'P', productType: 'DEPOSIT_CURRENT', direction: 'DEBIT', amountMinor: 100_00, currency: 'CNY', channel: 'MOBILE', category: 'PURCHASE' },
});
function bought(): ProfileState {
  const state = emptyProfile('C1');
  foldEvent(state, purchase('2026-03-01T10:00:00+08:00', 'T1'), rules);
  return state;
}

describe('rollCustomer', () => {
  it.each([
    ['before the newest event', '2026-02-20T00:00:00Z', false],
    ['a day on which no figure moves', '2026-03-30T10:00:00+08:00', false],
    ['the last instant inside the 30 days', '2026-03-30T23:59:59.999+08:00', false],
    ['the first instant outside them', '2026-03-31T00:00:00+08:00', true],
  ])('%s: written only when a figure other than asOf changed', (_, asOf, written) => {
    const rolled = rollCustomer(bought(), asOf, rules, 32);
    expect(!!rolled.next).toBe(written);
    expect(rolled.dueAt).toBe(startOfBusinessDay(written ? '2026-05-30' : '2026-03-31', rules));
  });

  it('announces version + 1 at the roll instant, caused by the roll, with the same eventId whenever it is made again', () => {
    const asOf = '2026-03-31T00:30:00+08:00';
    const first = rollCustomer(bought(), asOf, rules, 32);
    const again = rollCustomer(bought(), asOf, rules, 32);
    expect(first.next?.version).toBe(2);
    expect(first.next?.asOf).toBe('2026-03-30T16:30:00.000Z');
    expect(first.announcement?.envelope).toMatchObject({ eventId: 'profile-C1-2-ACTIVE', occurredAt: '2026-03-30T16:30:00.000Z', causationId: rollCause(asOf).eventId, payload: { version: 2, features: { txnCount30d: 0, txnCount90d: 1 } } });
    expect(again.announcement?.envelope).toEqual(first.announcement?.envelope);
    const envelope = first.announcement!.envelope;
    expect([isRollAnnouncement(envelope, asOf, 2), isRollAnnouncement(envelope, asOf, 3), isRollAnnouncement(envelope, '2026-04-01T00:30:00+08:00', 2)]).toEqual([true, false, false]);
  });
});

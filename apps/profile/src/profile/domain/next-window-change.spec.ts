import fc from 'fast-check';
import { residentId } from '@meridian/events/testing';
import { ProfileEvent, foldEvent } from './fold-event';
import { nextWindowChange, startOfBusinessDay } from './next-window-change';
import { profileFigures } from './profile-features';
import { DEFAULT_PROFILE_RULES, addDays, dayOf } from './profile-rules';
import { ProfileState, emptyProfile } from './profile-state';

const rules = DEFAULT_PROFILE_RULES;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1, 2);
let n = 0;
const ev = (type: string, occurredAt: string, payload: object): ProfileEvent => ({ eventId: `e${String(++n).padStart(6, '0')}`, type, occurredAt, payload: { sourceSystem: 'core-banking', sourceCustomerId: 'CB-1', ...payload } });
const at = (d: number, hour = 0) => new Date(T0 + d * DAY + hour * 3_600_000).toISOString();

/** Figures of the profile were it that day (the roll's view: only time moves). */
const figuresOn = (state: ProfileState, day: string) => profileFigures({ ...state, asOf: startOfBusinessDay(day, rules) }, rules);

function fold(events: ProfileEvent[]): ProfileState {
  const state = emptyProfile('C1');
  for (const e of events) foldEvent(state, e, rules);
  return state;
}

const day = fc.integer({ min: 0, max: 200 });
const hour = fc.integer({ min: 0, max: 23 });
const event = fc.oneof(
  fc.tuple(day, fc.date({ min: new Date('1950-01-01'), max: new Date('2010-12-31'), noInvalidDate: true })).map(([d, birth]) =>
    ev('CustomerUpserted', at(d), { idType: 'RESIDENT_ID', idNumber: residentId('19900315'), name: 'N', customerType: 'PERSONAL', branchId: 'BR001', birthDate: birth.toISOString().slice(0, 10) }),
  ),
  fc.tuple(day, fc.constantFrom('A1', 'A2', 'L1')).map(([d, id]) => ev('ProductOpened', at(d), { productId: id, productType: id === 'L1' ? 'MORTGAGE' : 'FUND', productCode: 'X', openedAt: at(d) })),
  fc.tuple(day, fc.constantFrom('A1', 'A2', 'L1')).map(([d, id]) => ev('ProductClosed', at(d, 5), { productId: id, productType: id === 'L1' ? 'MORTGAGE' : 'FUND', productCode: 'X', closedAt: at(d, 5) })),
  fc.tuple(day, hour, fc.constantFrom('A1', 'A2'), fc.nat(10_000_000)).map(([d, h, id, b]) => ev('BalanceSnapshot', at(d, h), { productId: id, productType: 'FUND', productCode: 'X', balanceMinor: b, currency: 'CNY' })),
  fc.tuple(day, hour, fc.nat(1_000_000), fc.constantFrom('PURCHASE', 'FEE', 'PAYROLL', 'TRANSFER'), fc.constantFrom('CN', 'US'), fc.constantFrom('5411', '8211')).map(([d, h, a, category, country, mcc]) =>
    ev('TransactionPosted', at(d, h), { transactionId: `T${n}`, productId: 'P', productType: 'DEPOSIT_CURRENT', direction: category === 'PAYROLL' ? 'CREDIT' : 'DEBIT', amountMinor: a + 1, currency: 'CNY', channel: 'MOBILE', category, counterpartyCountry: country, mcc }),
  ),
  fc.tuple(day, hour, fc.constantFrom('LOGIN', 'COMPLAINT', 'PAGE_VIEW')).map(([d, h, kind]) => ev('InteractionRecorded', at(d, h), { interactionId: `I${n}`, channel: 'APP', kind })),
);

describe('nextWindowChange', () => {
  it('no windowed figure changes before the instant it names, and (checking every candidate) one does on its day (property, day by day)', () => {
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 30 }), (events) => {
        const state = fold(events);
        const today = dayOf(state.asOf as string, rules);
        const now = figuresOn(state, today);
        const due = nextWindowChange(state, rules, 10_000);
        const dueDay = due ? dayOf(due, rules) : addDays(today, 500);
        for (let d = addDays(today, 1); d < dueDay; d = addDays(d, 1)) expect([d, figuresOn(state, d)]).toEqual([d, now]);
        if (due) {
          expect(due).toBe(startOfBusinessDay(dueDay, rules));
          expect(figuresOn(state, dueDay)).not.toEqual(now);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('with few checks allowed it may name an earlier instant, never a later one (property)', () => {
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 3 }), (events, checks) => {
        const state = fold(events);
        const exact = nextWindowChange(state, rules, 10_000);
        const bounded = nextWindowChange(state, rules, checks);
        if (exact) expect(Date.parse(bounded as string)).toBeLessThanOrEqual(Date.parse(exact));
        else if (bounded) expect(Date.parse(bounded)).toBeGreaterThan(Date.parse(state.asOf as string));
      }),
      { numRuns: 150 },
    );
  });

  const txn = (d: number, over: object = {}) => ev('TransactionPosted', at(d, 2), { transactionId: `T${++n}`, productId: 'P', productType: 'DEPOSIT_CURRENT', direction: 'DEBIT', amountMinor: 100, currency: 'CNY', channel: 'MOBILE', category: 'PURCHASE', ...over });
  it.each([
    ['no event: no "now" to move', [], undefined],
    ['a purchase leaves the 30-day window on day 30', [txn(0)], 30],
    ['then the 90-day window on day 90', [txn(0), ev('InteractionRecorded', at(45), { interactionId: 'I-PV', channel: 'WEB', kind: 'PAGE_VIEW' })], 90 - 45],
    ['a page view alone moves nothing', [ev('InteractionRecorded', at(0), { interactionId: 'I-PV2', channel: 'WEB', kind: 'PAGE_VIEW' })], undefined],
    ['an app login enters the prior 30 days on day 30', [ev('InteractionRecorded', at(0), { interactionId: 'I-L', channel: 'APP', kind: 'LOGIN' })], 30],
  ])('%s', (_, events, daysAhead) => {
    const state = fold(events as ProfileEvent[]);
    const due = nextWindowChange(state, rules, 10_000);
    if (daysAhead === undefined) expect(due).toBeUndefined();
    else expect(due).toBe(startOfBusinessDay(addDays(dayOf(state.asOf as string, rules), daysAhead), rules));
  });

  it('names the birthday on which age changes (1 March for 29 February in a common year)', () => {
    const born = (birthDate: string) => fold([ev('CustomerUpserted', '2027-02-10T02:00:00Z', { idType: 'PASSPORT', idNumber: 'P1', name: 'N', customerType: 'PERSONAL', branchId: 'BR001', birthDate })]);
    expect(nextWindowChange(born('1992-02-29'), rules, 10)).toBe(startOfBusinessDay('2027-03-01', rules));
    expect(nextWindowChange(born('1992-02-14'), rules, 10)).toBe(startOfBusinessDay('2027-02-14', rules));
    expect(nextWindowChange(born('1992-01-14'), rules, 10)).toBe(startOfBusinessDay('2028-01-14', rules));
  });
});

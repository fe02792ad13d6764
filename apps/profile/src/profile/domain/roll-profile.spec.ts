import fc from 'fast-check';
import { ProfileEvent, foldEvent } from './fold-event';
import { profileFigures } from './profile-features';
import { DEFAULT_PROFILE_RULES } from './profile-rules';
import { ProfileState, canonical, emptyProfile } from './profile-state';
import { rollProfile } from './roll-profile';

const rules = DEFAULT_PROFILE_RULES;
const DAY = 86_400_000;
let n = 0;
const at = (d: number) => new Date(Date.UTC(2026, 0, 1, 3) + d * DAY).toISOString();
const txn = (d: number, amountMinor: number): ProfileEvent => ({
  eventId: `e${++n}`,
  type: 'TransactionPosted',
  occurredAt: at(d),
  payload: { sourceSystem: 'core-banking', sourceCustomerId: 'CB-1', transactionId: `T${n}`, productId: 'P', productType: 'DEPOSIT_CURRENT', direction: 'DEBIT', amountMinor, currency: 'CNY', channel: 'MOBILE', category: 'PURCHASE' },
});
const balance = (d: number, b: number): ProfileEvent => ({ eventId: `e${++n}`, type: 'BalanceSnapshot', occurredAt: at(d), payload: { productId: 'A1', productType: 'FUND', productCode: 'X', balanceMinor: b, currency: 'CNY' } });

type Step = { roll: number } | { event: ProfileEvent };
const apply = (steps: Step[]): ProfileState => {
  const state = emptyProfile('C1');
  for (const s of steps) {
    if ('roll' in s) rollProfile(state, at(s.roll), rules);
    else foldEvent(state, s.event, rules);
  }
  return state;
};
const withoutVersion = (s: ProfileState) => JSON.stringify(canonical({ ...s, version: 0 }));

describe('rollProfile', () => {
  it('moves "now" to the roll instant: a purchase leaves the 30-day window, and a roll before the newest event changes nothing', () => {
    const state = apply([{ event: txn(0, 100) }, { roll: 29 }]);
    expect(profileFigures(state, rules).txnCount30d).toBe(1);
    rollProfile(state, at(30), rules);
    expect(profileFigures(state, rules)).toMatchObject({ txnCount30d: 0, txnCount90d: 1 });
    const before = JSON.stringify(state);
    rollProfile(state, at(3), rules);
    expect(JSON.stringify(state)).toBe(before);
  });

  it('commutes with the fold: events and rolls in any order give the same profile but version (property)', () => {
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.integer({ min: 0, max: 300 }).map((d) => ({ roll: d })),
      fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 1_000 })).map(([d, a]) => ({ event: txn(d, a) })),
      fc.tuple(fc.integer({ min: 0, max: 300 }), fc.nat(1_000_000)).map(([d, b]) => ({ event: balance(d, b) })),
    );
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 30 }), fc.infiniteStream(fc.nat()), (steps, randoms) => {
        const shuffled = [...steps].sort(() => (randoms.next().value % 3) - 1);
        const a = apply(steps);
        const b = apply(shuffled);
        expect(withoutVersion(b)).toBe(withoutVersion(a));
        expect(profileFigures(b, rules)).toEqual(profileFigures(a, rules));
      }),
      { numRuns: 300 },
    );
  });
});

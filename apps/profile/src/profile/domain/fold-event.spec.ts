import fc from 'fast-check';
import { validateSync } from 'class-validator';
import { plainToInstance } from 'class-transformer';
import { ProfileFeatures } from '@meridian/events';
import { residentId } from '@meridian/events/testing';
import { ProfileEvent, foldEvent } from './fold-event';
import { profileFigures } from './profile-features';
import { DEFAULT_PROFILE_RULES } from './profile-rules';
import { snapshotOf } from './profile-snapshot';
import { ProfileState, canonical, emptyProfile } from './profile-state';

const rules = DEFAULT_PROFILE_RULES;
let n = 0;
const ref = { sourceSystem: 'core-banking', sourceCustomerId: 'CB-1' };
const ev = (type: string, occurredAt: string, payload: object): ProfileEvent => ({ eventId: `e${String(++n).padStart(5, '0')}`, type, occurredAt, payload: { ...ref, ...payload } });
const customer = (at: string, over: object = {}) =>
  ev('CustomerUpserted', at, { idType: 'RESIDENT_ID', idNumber: residentId('19900315'), name: '张三', phone: '13812345678', customerType: 'PERSONAL', branchId: 'BR001', rmId: 'RM7', ...over });
const opened = (at: string, productId: string, productType: string) => ev('ProductOpened', at, { productId, productType, productCode: 'X', openedAt: at });
const closed = (at: string, productId: string, productType: string) => ev('ProductClosed', at, { productId, productType, productCode: 'X', closedAt: at });
const balance = (at: string, productId: string, productType: string, balanceMinor: number) => ev('BalanceSnapshot', at, { productId, productType, productCode: 'X', balanceMinor, currency: 'CNY' });
const txn = (at: string, over: object = {}) =>
  ev('TransactionPosted', at, { transactionId: `T${n}`, productId: 'P-CUR', productType: 'DEPOSIT_CURRENT', direction: 'DEBIT', amountMinor: 10_000, currency: 'CNY', channel: 'MOBILE', category: 'PURCHASE', ...over });
const interaction = (at: string, kind: string, over: object = {}) => ev('InteractionRecorded', at, { interactionId: `I${n}`, channel: 'APP', kind, ...over });

function fold(events: ProfileEvent[]): ProfileState {
  const state = emptyProfile('C1');
  for (const e of events) foldEvent(state, e, rules);
  return state;
}

describe('profile fold (DOMAIN.md figures)', () => {
  it('keeps the latest identity by event time, whatever the arrival order', () => {
    const older = customer('2026-01-01T10:00:00+08:00', { name: '旧名' });
    const newer = customer('2026-02-01T10:00:00+08:00', { name: '新名', phone: '13900000000' });
    expect(fold([newer, older]).identity).toMatchObject({ name: '新名', phone: '13900000000' });
    expect(fold([older, newer]).identity).toMatchObject({ name: '新名' });
  });

  it('a late, older BalanceSnapshot never overwrites a newer one; AUM counts open asset products only', () => {
    const s = fold([
      opened('2026-01-01T09:00:00+08:00', 'TD1', 'DEPOSIT_TIME'),
      balance('2026-03-02T09:00:00+08:00', 'TD1', 'DEPOSIT_TIME', 500_000_00),
      balance('2026-03-01T09:00:00+08:00', 'TD1', 'DEPOSIT_TIME', 100_00), // late and older
      opened('2026-01-05T09:00:00+08:00', 'CC1', 'CREDIT_CARD'),
      balance('2026-03-02T09:00:00+08:00', 'CC1', 'CREDIT_CARD', 3_000_00),
      opened('2026-01-05T09:00:00+08:00', 'F1', 'FUND'),
      balance('2026-02-02T09:00:00+08:00', 'F1', 'FUND', 9_000_00),
      closed('2026-02-20T09:00:00+08:00', 'F1', 'FUND'),
    ]);
    const f = profileFigures(s, rules);
    expect(f.aumMinor).toBe(500_000_00);
    expect(f.liabilitiesMinor).toBe(3_000_00);
    expect(f.productsHeld).toEqual(['CREDIT_CARD', 'DEPOSIT_TIME']);
    expect(f.productsClosed90d).toBe(1);
    expect(f.firstProductAt).toBe('2026-01-01T09:00:00+08:00');
    expect(f.aumPeak90dMinor).toBe(500_000_00);
  });

  it.each([
    ['nothing held', [], {}],
    ['two of a type summed', [opened('2026-01-01T09:00:00+08:00', 'TD1', 'DEPOSIT_TIME'), balance('2026-03-01T09:00:00+08:00', 'TD1', 'DEPOSIT_TIME', 100_00), opened('2026-01-02T09:00:00+08:00', 'TD2', 'DEPOSIT_TIME'), balance('2026-03-01T09:00:00+08:00', 'TD2', 'DEPOSIT_TIME', 250_00)], { DEPOSIT_TIME: 350_00 }],
    ['held with no balance yet: 0', [opened('2026-01-01T09:00:00+08:00', 'W1', 'WEALTH')], { WEALTH: 0 }],
    ['a balance at 0', [opened('2026-01-01T09:00:00+08:00', 'CC1', 'CREDIT_CARD'), balance('2026-03-01T09:00:00+08:00', 'CC1', 'CREDIT_CARD', 0)], { CREDIT_CARD: 0 }],
    ['a closed product leaves its type out', [opened('2026-01-01T09:00:00+08:00', 'F1', 'FUND'), balance('2026-02-01T09:00:00+08:00', 'F1', 'FUND', 9_000_00), closed('2026-02-20T09:00:00+08:00', 'F1', 'FUND')], {}],
    ['closed, then reopened: held again', [closed('2026-02-01T09:00:00+08:00', 'F1', 'FUND'), opened('2026-02-10T09:00:00+08:00', 'F1', 'FUND'), balance('2026-02-11T09:00:00+08:00', 'F1', 'FUND', 7_00)], { FUND: 7_00 }],
    ['a closed one beside an open one of its type', [opened('2026-01-01T09:00:00+08:00', 'M1', 'MORTGAGE'), balance('2026-02-01T09:00:00+08:00', 'M1', 'MORTGAGE', 1_000_00), closed('2026-02-20T09:00:00+08:00', 'M1', 'MORTGAGE'), opened('2026-02-21T09:00:00+08:00', 'M2', 'MORTGAGE'), balance('2026-02-22T09:00:00+08:00', 'M2', 'MORTGAGE', 900_00)], { MORTGAGE: 900_00 }],
    [
      'a foreign-currency balance counts in CNY',
      [opened('2026-01-01T09:00:00+08:00', 'FX1', 'DEPOSIT_CURRENT'), ev('BalanceSnapshot', '2026-03-01T09:00:00+08:00', { productId: 'FX1', productType: 'DEPOSIT_CURRENT', productCode: 'X', balanceMinor: 100_00, currency: 'USD', balanceCnyMinor: 720_00 })],
      { DEPOSIT_CURRENT: 720_00 },
    ],
  ])('balancesByType: %s', (_, events, expected) => {
    expect(profileFigures(fold(events), rules).balancesByType).toEqual(expected);
  });

  it('balancesByType lists the types sorted, and adds up to AUM and liabilities', () => {
    /** Opened on 1 January, with a balance snapshot on 1 March. */
    const holding = (productId: string, productType: string, balanceMinor?: number) => [
      opened('2026-01-01T09:00:00+08:00', productId, productType),
      ...(balanceMinor === undefined ? [] : [balance('2026-03-01T09:00:00+08:00', productId, productType, balanceMinor)]),
    ];
    const s = fold([...holding('W1', 'WEALTH', 3_00), ...holding('CC1', 'CREDIT_CARD', 5_00), ...holding('CUR', 'DEPOSIT_CURRENT', 11_00), ...holding('L1', 'CONSUMER_LOAN')]);
    const f = profileFigures(s, rules);
    expect(Object.keys(f.balancesByType)).toEqual(['CONSUMER_LOAN', 'CREDIT_CARD', 'DEPOSIT_CURRENT', 'WEALTH']);
    expect([f.aumMinor, f.liabilitiesMinor]).toEqual([14_00, 5_00]);
    expect(Object.keys(f.balancesByType)).toEqual(f.productsHeld);
  });

  const fee = (at: string, amountMinor: number, over: object = {}) => txn(at, { amountMinor, category: 'FEE', ...over });
  it.each([
    ['no transactions', [], 0],
    ['a fee today', [fee('2026-03-31T12:00:00+08:00', 5_00)], 5_00],
    ['fees on day 1 and day 90 of the window', [fee('2026-03-31T12:00:00+08:00', 5_00), fee('2026-01-01T00:30:00+08:00', 7_00)], 12_00],
    ['a fee 90 days back is outside', [fee('2026-03-31T12:00:00+08:00', 5_00), fee('2025-12-31T23:30:00+08:00', 7_00)], 5_00],
    ['other categories are not fees', [txn('2026-03-31T12:00:00+08:00', { amountMinor: 100_00 }), txn('2026-03-30T12:00:00+08:00', { amountMinor: 1_00, category: 'INTEREST', direction: 'CREDIT' })], 0],
    ['a foreign-currency fee counts in CNY', [fee('2026-03-31T12:00:00+08:00', 1_00, { currency: 'USD', amountCnyMinor: 7_20 })], 7_20],
  ])('fees90dMinor: %s', (_, events, expected) => {
    expect(profileFigures(fold(events), rules).fees90dMinor).toBe(expected);
  });

  it('announces balancesByType and fees90dMinor in the feature snapshot, as the contract validates them', () => {
    const s = fold([opened('2026-01-01T09:00:00+08:00', 'TD1', 'DEPOSIT_TIME'), balance('2026-03-01T09:00:00+08:00', 'TD1', 'DEPOSIT_TIME', 100_00), fee('2026-03-02T12:00:00+08:00', 3_00)]);
    const { features } = snapshotOf(s, rules);
    expect(features).toMatchObject({ balancesByType: { DEPOSIT_TIME: 100_00 }, fees90dMinor: 3_00 });
    expect(validateSync(plainToInstance(ProfileFeatures, features))).toEqual([]);
  });

  it('rolls 30/90-day aggregates from daily buckets; FEE and INTEREST are not activity', () => {
    const s = fold([
      txn('2026-03-31T12:00:00+08:00', { amountMinor: 100_00 }),
      txn('2026-03-10T12:00:00+08:00', { amountMinor: 200_00, channel: 'POS' }),
      txn('2026-02-10T12:00:00+08:00', { amountMinor: 400_00 }),
      txn('2025-11-01T12:00:00+08:00', { amountMinor: 800_00 }), // outside 90 days
      txn('2026-03-30T12:00:00+08:00', { amountMinor: 5_00, category: 'FEE' }),
      txn('2026-03-30T12:00:00+08:00', { amountMinor: 1_00, category: 'INTEREST', direction: 'CREDIT' }),
      txn('2026-03-15T12:00:00+08:00', { amountMinor: 20_000_00, category: 'PAYROLL', direction: 'CREDIT' }),
    ]);
    const f = profileFigures(s, rules);
    expect([f.txnCount30d, f.txnCount90d, f.txnCountPrior60d]).toEqual([3, 4, 1]);
    expect([f.txnAmount30dMinor, f.txnAmount90dMinor]).toEqual([20_300_00, 20_700_00]);
    expect(f.byCategory30d).toEqual({ FEE: { n: 1, cnyMinor: 5_00 }, INTEREST: { n: 1, cnyMinor: 1_00 }, PAYROLL: { n: 1, cnyMinor: 20_000_00 }, PURCHASE: { n: 2, cnyMinor: 300_00 } });
    expect(f.byChannel90d.POS).toEqual({ n: 1, cnyMinor: 200_00 });
    expect(s.lastTransactionAt).toBe('2026-03-31T12:00:00+08:00');
  });

  it('counts app logins and complaints, keeps the latest CSAT/NPS, and tags from the profile', () => {
    const events = [
      customer('2026-03-01T10:00:00+08:00', { idNumber: residentId('19400101') }),
      opened('2026-01-01T09:00:00+08:00', 'M1', 'MORTGAGE'),
      ...Array.from({ length: 10 }, (_, i) => interaction(`2026-03-${String(10 + i).padStart(2, '0')}T08:00:00+08:00`, 'LOGIN')),
      interaction('2026-03-20T08:00:00+08:00', 'COMPLAINT', { channel: 'CALL_CENTER' }),
      interaction('2026-03-21T08:00:00+08:00', 'SURVEY_RESPONSE', { channel: 'SMS', csat: 2, nps: 3 }),
      ev('SatisfactionRecorded', '2026-03-25T08:00:00+08:00', { ticketId: 'TK1', csat: 4 }),
      ...[1, 2, 3].map((d) => txn(`2026-03-0${d}T08:00:00+08:00`, { counterpartyCountry: 'US' })),
      txn('2026-03-05T08:00:00+08:00', { mcc: '8211' }),
    ];
    const f = profileFigures(fold(events), rules);
    expect([f.appLogins30d, f.complaints90d, f.latestCsat, f.latestNps]).toEqual([10, 1, 4, undefined]);
    expect(f.ageBand).toBe('66+');
    expect(f.tags).toEqual(['CROSS_BORDER', 'DIGITAL_ACTIVE', 'MORTGAGE_HOLDER', 'PARENT', 'SENIOR']);
  });

  it('PAYROLL needs a payroll credit in each of the last two months', () => {
    const pay = (at: string) => txn(at, { category: 'PAYROLL', direction: 'CREDIT', amountMinor: 10_000_00 });
    expect(profileFigures(fold([pay('2026-03-25T08:00:00+08:00'), pay('2026-02-25T08:00:00+08:00')]), rules).tags).toContain('PAYROLL');
    expect(profileFigures(fold([pay('2026-03-25T08:00:00+08:00')]), rules).tags).not.toContain('PAYROLL');
    // Early in April, before its payday: February and March count.
    expect(profileFigures(fold([pay('2026-02-25T08:00:00+08:00'), pay('2026-03-25T08:00:00+08:00'), txn('2026-04-02T08:00:00+08:00')]), rules).tags).toContain('PAYROLL');
    expect(profileFigures(fold([pay('2026-01-25T08:00:00+08:00'), pay('2026-03-25T08:00:00+08:00')]), rules).tags).not.toContain('PAYROLL');
  });

  it('counts a transaction or an interaction once by its business key, whatever eventId carries it', () => {
    const first = txn('2026-03-10T12:00:00+08:00', { transactionId: 'T-RE', amountMinor: 300_00 });
    const reExported = { ...first, eventId: 'e-re-export' };
    const delivered = { ...first, eventId: 'e-later', occurredAt: '2026-03-12T12:00:00+08:00' }; // re-stamped, no bookedAt
    const otherSystem = { ...first, eventId: 'e-other', payload: { ...(first.payload as object), sourceSystem: 'card-system' } };
    const otherId = { ...first, eventId: 'e-other-id', payload: { ...(first.payload as object), transactionId: 'T-RE2' } };
    const count = (events: ProfileEvent[]) => profileFigures(fold(events), rules).txnCount90d;
    expect(count([first, reExported])).toBe(1);
    expect(count([first, delivered])).toBe(1);
    expect(count([first, otherSystem, otherId])).toBe(3);
    const login = interaction('2026-03-10T08:00:00+08:00', 'LOGIN', { interactionId: 'I-RE' });
    expect(profileFigures(fold([login, { ...login, eventId: 'e-login-again' }]), rules).appLogins30d).toBe(1);
    expect(fold([first, reExported]).version).toBe(1);
  });

  it('folds the same transactions and interactions under second eventIds to the same state as once, in any order (property)', () => {
    // Within the retention window: a copy older than it lands in a bucket pruned at once (only `version` would notice).
    const day = fc.integer({ min: 0, max: rules.retentionDays - 5 }).map((d) => new Date(Date.UTC(2026, 0, 1) + d * 86_400_000 + 3_600_000).toISOString().replace('Z', '+00:00'));
    const event = fc.oneof(
      day.map((at) => customer(at, { name: `N${at.slice(5, 10)}` })),
      fc.tuple(day, fc.constantFrom('A1', 'L1')).map(([at, id]) => opened(at, id, id === 'L1' ? 'CONSUMER_LOAN' : 'DEPOSIT_TIME')),
      fc.tuple(day, fc.nat(10_000_000)).map(([at, b]) => balance(at, 'A1', 'DEPOSIT_TIME', b)),
      fc.tuple(day, fc.nat(1_000_000), fc.constantFrom('PURCHASE', 'FEE', 'PAYROLL'), fc.constantFrom('CN', 'US')).map(([at, a, category, counterpartyCountry]) =>
        txn(at, { amountMinor: a + 1, category, direction: category === 'PAYROLL' ? 'CREDIT' : 'DEBIT', counterpartyCountry }),
      ),
      fc.tuple(day, fc.constantFrom('LOGIN', 'COMPLAINT', 'SURVEY_RESPONSE'), fc.integer({ min: 1, max: 5 })).map(([at, kind, csat]) => interaction(at, kind, kind === 'SURVEY_RESPONSE' ? { csat } : {})),
    );
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 40 }), fc.array(fc.nat(), { maxLength: 20 }), fc.infiniteStream(fc.nat()), (events, picks, randoms) => {
        const keyed = events.filter((e) => e.type === 'TransactionPosted' || e.type === 'InteractionRecorded');
        const copies = keyed.length ? picks.map((p, i) => ({ ...keyed[p % keyed.length], eventId: `copy-${i}` })) : [];
        const once = fold(events);
        const withCopies = fold([...events, ...copies].sort(() => (randoms.next().value % 3) - 1));
        expect(JSON.stringify(canonical(withCopies))).toBe(JSON.stringify(canonical(once)));
        expect(profileFigures(withCopies, rules)).toEqual(profileFigures(once, rules));
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same profile whatever order and however often it is replayed from scratch (property)', () => {
    const day = fc.integer({ min: 0, max: 150 }).map((d) => new Date(Date.UTC(2026, 0, 1) + d * 86_400_000 + 3_600_000).toISOString().replace('Z', '+00:00'));
    const event = fc.oneof(
      day.map((at) => customer(at, { name: `N${at.slice(5, 10)}` })),
      fc.tuple(day, fc.constantFrom('A1', 'A2', 'L1')).map(([at, id]) => opened(at, id, id === 'L1' ? 'CONSUMER_LOAN' : 'DEPOSIT_TIME')),
      fc.tuple(day, fc.constantFrom('A1', 'A2', 'L1')).map(([at, id]) => closed(at, id, id === 'L1' ? 'CONSUMER_LOAN' : 'DEPOSIT_TIME')),
      fc.tuple(day, fc.constantFrom('A1', 'A2'), fc.nat(10_000_000)).map(([at, id, b]) => balance(at, id, 'DEPOSIT_TIME', b)),
      fc.tuple(day, fc.nat(1_000_000), fc.constantFrom('PURCHASE', 'FEE', 'PAYROLL', 'TRANSFER')).map(([at, a, category]) => txn(at, { amountMinor: a + 1, category, direction: category === 'PAYROLL' ? 'CREDIT' : 'DEBIT' })),
      fc.tuple(day, fc.constantFrom('LOGIN', 'COMPLAINT', 'SURVEY_RESPONSE')).map(([at, kind]) => interaction(at, kind, kind === 'SURVEY_RESPONSE' ? { csat: 3 } : {})),
    );
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 40 }), fc.infiniteStream(fc.nat()), (events, randoms) => {
        const shuffled = [...events].sort(() => (randoms.next().value % 3) - 1);
        const a = fold(events);
        const b = fold(shuffled);
        expect(JSON.stringify(canonical(b))).toBe(JSON.stringify(canonical(a)));
        expect(profileFigures(b, rules)).toEqual(profileFigures(a, rules));
      }),
      { numRuns: 300 },
    );
  });
});

import { ProfileFigures } from '../domain/profile-features';
import { maskedFigures } from './customer-views';

/** Every figure, each with a value, as profileFigures returns them. */
const figures: ProfileFigures = {
  aumMinor: 1,
  liabilitiesMinor: 2,
  balancesByType: { DEPOSIT_TIME: 1, CREDIT_CARD: 2 },
  productsHeld: ['DEPOSIT_TIME'],
  firstProductAt: '2026-01-01T00:00:00+08:00',
  productsClosed90d: 3,
  aumPeak90dMinor: 4,
  aumChange30dMinor: 5,
  txnCount30d: 6,
  txnCount90d: 7,
  txnCountPrior60d: 8,
  txnAmount30dMinor: 9,
  txnAmount90dMinor: 10,
  fees90dMinor: 18,
  byCategory30d: { PURCHASE: { n: 1, cnyMinor: 11 } },
  byCategory90d: { PURCHASE: { n: 1, cnyMinor: 12 } },
  byChannel30d: {},
  byChannel90d: {},
  monthlyInflow3mMinor: 13,
  crossBorder90d: 14,
  appLogins30d: 15,
  appLoginsPrior30d: 16,
  complaints90d: 17,
  latestCsat: 4,
  latestNps: 8,
  ageBand: '36-45',
  age: 38,
  tags: ['VIP'],
};

describe('the figures a masked view (teller, service agent) shows', () => {
  it('shows activity counts and the age band, never money or the exact age', () => {
    const shown = maskedFigures(figures);
    expect(shown).toMatchObject({ txnCount30d: 6, appLogins30d: 15, ageBand: '36-45', tags: ['VIP'] });
    for (const hidden of ['aumMinor', 'liabilitiesMinor', 'balancesByType', 'fees90dMinor', 'aumPeak90dMinor', 'aumChange30dMinor', 'txnAmount30dMinor', 'txnAmount90dMinor', 'monthlyInflow3mMinor', 'byCategory30d', 'byCategory90d', 'byChannel30d', 'byChannel90d', 'age']) {
      expect(shown).not.toHaveProperty(hidden);
    }
  });

  it('keeps a figure added to the profile later hidden until it is allowed', () => {
    const later = { ...figures, pensionPotMinor: 987_654_00, loanToValuePct: 61 } as ProfileFigures;
    const shown = maskedFigures(later) as Record<string, unknown>;
    expect(shown).not.toHaveProperty('pensionPotMinor');
    expect(shown).not.toHaveProperty('loanToValuePct');
    expect(JSON.stringify(shown)).not.toContain('98765400');
  });
});

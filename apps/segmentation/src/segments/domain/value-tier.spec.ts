import fc from 'fast-check';
import { TIERS } from '@meridian/events';
import { DEFAULT_SEGMENTATION_RULES as RULES } from './segmentation-rules';
import { TierState, decideTier, tierFor } from './value-tier';

const CNY = 100;
const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString();

describe('value tier (DOMAIN.md: value tiers)', () => {
  it.each([
    [6_000_000 * CNY, 'DIAMOND'],
    [6_000_000 * CNY - 1, 'GOLD'],
    [500_000 * CNY, 'GOLD'],
    [500_000 * CNY - 1, 'SILVER'],
    [50_000 * CNY, 'SILVER'],
    [50_000 * CNY - 1, 'MASS'],
    [0, 'MASS'],
  ])('AUM %i minor → %s (a threshold is "at least")', (aum, tier) => {
    expect(tierFor(aum, RULES)).toBe(tier);
  });

  it('upgrades at once, from any tier, straight to what AUM earns', () => {
    const d = decideTier({ tier: 'MASS', belowSince: day(0) }, 6_000_000 * CNY, day(1), RULES);
    expect(d.state).toEqual({ tier: 'DIAMOND' });
    expect(d.change).toMatchObject({ from: 'MASS', to: 'DIAMOND', reason: expect.stringContaining('upgraded') });
  });

  it.each([
    [29, 'GOLD', undefined],
    [30, 'SILVER', 'GOLD'],
    [31, 'SILVER', 'GOLD'],
  ])('downgrades only after the grace: below since day 0, seen on day %i → %s', (n, tier, from) => {
    const first = decideTier({ tier: 'GOLD' }, 100_000 * CNY, day(0), RULES);
    expect(first).toEqual({ state: { tier: 'GOLD', belowSince: day(0) } });
    const d = decideTier(first.state, 100_000 * CNY, day(n), RULES);
    expect(d.state.tier).toBe(tier);
    expect(d.change?.from).toBe(from);
    if (from) expect(d.change?.reason).toContain(`for ${n} days (grace 30)`);
  });

  it('a rise back to the threshold during the grace cancels it; a later dip starts a new one', () => {
    const dip = decideTier({ tier: 'GOLD' }, 100_000 * CNY, day(0), RULES);
    const back = decideTier(dip.state, 500_000 * CNY, day(20), RULES);
    expect(back).toEqual({ state: { tier: 'GOLD' } });
    const again = decideTier(back.state, 100_000 * CNY, day(25), RULES);
    expect(decideTier(again.state, 100_000 * CNY, day(50), RULES).state).toEqual({ tier: 'GOLD', belowSince: day(25) });
    expect(decideTier(again.state, 100_000 * CNY, day(55), RULES).state).toEqual({ tier: 'SILVER' });
  });

  it('a partial rise that stays below the current threshold keeps the grace running', () => {
    const dip = decideTier({ tier: 'DIAMOND' }, 100_000 * CNY, day(0), RULES);
    const partial = decideTier(dip.state, 1_000_000 * CNY, day(15), RULES);
    expect(partial.state).toEqual({ tier: 'DIAMOND', belowSince: day(0) });
    expect(decideTier(partial.state, 1_000_000 * CNY, day(30), RULES).state).toEqual({ tier: 'GOLD' });
  });

  it('never moves below what AUM earns, and never downgrades inside the grace', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TIERS), fc.integer({ min: 0, max: 10_000_000 * CNY }), fc.integer({ min: 0, max: 29 }), (tier, aum, n) => {
        const start: TierState = { tier };
        const d = decideTier(decideTier(start, aum, day(0), RULES).state, aum, day(n), RULES);
        const earned = tierFor(aum, RULES);
        expect(TIERS.indexOf(d.state.tier)).toBeLessThanOrEqual(TIERS.indexOf(earned));
        if (TIERS.indexOf(earned) > TIERS.indexOf(tier)) expect(d.state.tier).toBe(tier);
      }),
    );
  });
});

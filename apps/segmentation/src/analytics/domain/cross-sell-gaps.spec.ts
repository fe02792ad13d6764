import { TIERS } from '@meridian/events';
import { crossSellGaps } from './cross-sell-gaps';

const tierOf = (gaps: ReturnType<typeof crossSellGaps>, tier: string) => gaps.find((g) => g.tier === tier)!;

describe('crossSellGaps (DOMAIN.md: for each tier, the share without each product type most of the tier hold)', () => {
  it('empty counters: every tier, no customers, no products', () => {
    expect(crossSellGaps({})).toEqual(TIERS.map((tier) => ({ tier, customers: 0, products: [] })));
  });

  it.each([
    ['half exactly is not most', 5, []],
    ['one more than half is', 6, [{ productType: 'WEALTH', holders: 6, heldShare: 0.6, without: 4, gapShare: 0.4 }]],
    ['everyone: a gap of zero', 10, [{ productType: 'WEALTH', holders: 10, heldShare: 1, without: 0, gapShare: 0 }]],
  ])('the 0.5 boundary: %s', (_, holders, products) => {
    const counters = { 'n|tier|GOLD|B1': 7, 'n|tier|GOLD|B2': 3, 'hold|GOLD|WEALTH': holders };
    expect(tierOf(crossSellGaps(counters), 'GOLD')).toEqual({ tier: 'GOLD', customers: 10, products });
  });

  it('the share is a parameter: at 0.25, a quarter and more count', () => {
    const counters = { 'n|tier|MASS|B1': 4, 'hold|MASS|FUND': 2, 'hold|MASS|WEALTH': 1 };
    expect(tierOf(crossSellGaps(counters, { mostShare: 0.25 }), 'MASS').products.map((p) => p.productType)).toEqual(['FUND']);
    expect(tierOf(crossSellGaps(counters, { mostShare: 0.2 }), 'MASS').products.map((p) => p.productType)).toEqual(['WEALTH', 'FUND']);
  });

  it('one tier only, largest gap first; holdings of a tier with zero customers are ignored', () => {
    const counters = { 'n|tier|DIAMOND|B1': 4, 'hold|DIAMOND|DEPOSIT_CURRENT': 4, 'hold|DIAMOND|WEALTH': 3, 'n|tier|SILVER|B1': 0, 'hold|SILVER|FUND': 0, 'hold|MASS|FUND': 2 };
    const gaps = crossSellGaps(counters);
    expect(tierOf(gaps, 'DIAMOND').products.map((p) => [p.productType, p.gapShare])).toEqual([['WEALTH', 0.25], ['DEPOSIT_CURRENT', 0]]);
    expect(tierOf(gaps, 'SILVER')).toEqual({ tier: 'SILVER', customers: 0, products: [] });
    expect(tierOf(gaps, 'MASS').products).toEqual([]);
  });

  it('asked for one tier: that tier alone', () => {
    expect(crossSellGaps({ 'n|tier|GOLD|B1': 1, 'hold|GOLD|FUND': 1 }, { tier: 'GOLD' })).toEqual([
      { tier: 'GOLD', customers: 1, products: [{ productType: 'FUND', holders: 1, heldShare: 1, without: 0, gapShare: 0 }] },
    ]);
  });
});

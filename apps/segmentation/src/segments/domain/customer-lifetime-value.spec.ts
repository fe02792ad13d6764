import fc from 'fast-check';
import { PRODUCT_TYPES } from '@meridian/events';
import { ClvInput, customerLifetimeValue, parseClvMargins } from './customer-lifetime-value';
import { DEFAULT_SEGMENTATION_RULES } from './segmentation-rules';

const RULES = DEFAULT_SEGMENTATION_RULES.clv;
const CNY = 100;
/** CLV = m × r / (1 + d − r), d = 8 %, by hand. */
const clv = (m: number, r: number) => Math.round((m * r) / (1.08 - r));

describe('customer lifetime value (DOMAIN.md: CLV = m × r / (1 + d − r))', () => {
  it.each([
    ['nothing known', { churnScore: 0.3 }, 0, 0],
    ['zero balances, no fees', { balancesByType: { DEPOSIT_CURRENT: 0, MORTGAGE: 0 }, fees90dMinor: 0, churnScore: 0.3 }, 0, 0],
    ['fees only: 90 days × 4', { fees90dMinor: 100 * CNY, churnScore: 0.2 }, 400 * CNY, clv(400 * CNY, 0.8)],
    ['a current account earns 1.5 %', { balancesByType: { DEPOSIT_CURRENT: 1_000_000 * CNY }, churnScore: 0.2 }, 15_000 * CNY, clv(15_000 * CNY, 0.8)],
    ['balances and fees add up', { balancesByType: { DEPOSIT_TIME: 100_000 * CNY, WEALTH: 100_000 * CNY }, fees90dMinor: 50 * CNY, churnScore: 0.5 }, 1_600 * CNY, clv(1_600 * CNY, 0.5)],
  ] as Array<[string, ClvInput, number, number]>)('%s', (_, input, m, expected) => {
    const value = customerLifetimeValue(input, RULES);
    expect(value.annualContributionMinor).toBe(m);
    expect(value.clvMinor).toBe(expected);
  });

  it.each([
    ['DEPOSIT_CURRENT', 0.015], ['DEPOSIT_TIME', 0.008], ['WEALTH', 0.006], ['FUND', 0.008], ['INSURANCE', 0.01],
    ['CREDIT_CARD', 0.02], ['MORTGAGE', 0.02], ['CONSUMER_LOAN', 0.02], ['BUSINESS_LOAN', 0.02],
  ])('%s earns %f of its balance a year', (type, margin) => {
    expect(customerLifetimeValue({ balancesByType: { [type]: 1_000_000 * CNY }, churnScore: 0 }, RULES).annualContributionMinor).toBe(Math.round(1_000_000 * CNY * margin));
  });

  it.each([
    [0, 0.98], [0.01, 0.98], [0.02, 0.98], [0.03, 0.97], [0.5, 0.5], [0.94, 0.06], [0.95, 0.05], [0.96, 0.05], [1, 0.05],
  ])('churn score %f → retention %f (clamped to [0.05, 0.98])', (churnScore, retention) => {
    const value = customerLifetimeValue({ fees90dMinor: 1_000 * CNY, churnScore }, RULES);
    expect(value.retention).toBeCloseTo(retention, 10);
    expect(value.clvMinor).toBe(clv(4_000 * CNY, retention));
  });

  it('at the top of the clamp a customer is worth 9.8 years of contribution, at the bottom under a twentieth of one', () => {
    const input = { balancesByType: { DEPOSIT_CURRENT: 1_000_000 * CNY } };
    expect(customerLifetimeValue({ ...input, churnScore: 0 }, RULES).clvMinor).toBe(147_000 * CNY);
    expect(customerLifetimeValue({ ...input, churnScore: 1 }, RULES).clvMinor).toBe(Math.round((15_000 * CNY * 0.05) / 1.03));
  });

  it('follows a bank’s own numbers', () => {
    const rules = { ...RULES, marginByType: { ...RULES.marginByType, FUND: 0.01 }, feeAnnualisation: 0, discountRate: 0.1, retentionRange: { min: 0.2, max: 0.9 } };
    const value = customerLifetimeValue({ balancesByType: { FUND: 100_000 * CNY }, fees90dMinor: 999 * CNY, churnScore: 0.95 }, rules);
    expect(value).toEqual({ annualContributionMinor: 1_000 * CNY, retention: 0.2, clvMinor: Math.round((1_000 * CNY * 0.2) / 0.9) });
  });

  it('reads margins as PRODUCT_TYPE=share, the rest keeping DOMAIN.md’s', () => {
    expect(parseClvMargins('')).toEqual(RULES.marginByType);
    expect(parseClvMargins(' FUND = 0.01 ,MORTGAGE=0.03')).toEqual({ ...RULES.marginByType, FUND: 0.01, MORTGAGE: 0.03 });
    expect(() => parseClvMargins('SAVINGS=0.01')).toThrow('unknown product type "SAVINGS"');
    expect(() => parseClvMargins('FUND=x')).toThrow('product type FUND needs a margin ≥ 0, got "x"');
  });

  const balances = fc.dictionary(fc.constantFrom(...PRODUCT_TYPES), fc.nat(1_000_000_000_00));
  const score = fc.double({ min: 0, max: 1, noNaN: true });

  it('rises with balances and fees, falls as the churn score rises, and is never below 0 (property)', () => {
    fc.assert(
      fc.property(balances, fc.nat(1_000_000_00), score, score, fc.constantFrom(...PRODUCT_TYPES), fc.nat(1_000_000_00), (byType, fees, s1, s2, type, more) => {
        const [low, high] = [Math.min(s1, s2), Math.max(s1, s2)];
        const base = customerLifetimeValue({ balancesByType: byType, fees90dMinor: fees, churnScore: low }, RULES);
        const richer = customerLifetimeValue({ balancesByType: { ...byType, [type]: (byType[type] ?? 0) + more }, fees90dMinor: fees, churnScore: low }, RULES);
        const moreFees = customerLifetimeValue({ balancesByType: byType, fees90dMinor: fees + more, churnScore: low }, RULES);
        const riskier = customerLifetimeValue({ balancesByType: byType, fees90dMinor: fees, churnScore: high }, RULES);
        expect(base.clvMinor).toBeGreaterThanOrEqual(0);
        expect(richer.clvMinor).toBeGreaterThanOrEqual(base.clvMinor);
        expect(moreFees.clvMinor).toBeGreaterThanOrEqual(base.clvMinor);
        expect(riskier.clvMinor).toBeLessThanOrEqual(base.clvMinor);
        // Strictly, where rounding cannot hide it: the smallest margin (0.6 %) on 10,000 CNY more is 60 CNY a
        // year, ≥ 2.9 CNY of CLV even at the lowest retention; and CLV moves by ≥ 0.92 × m per unit of retention.
        if (more >= 10_000 * CNY) expect(richer.clvMinor).toBeGreaterThan(base.clvMinor);
        if ((base.retention - riskier.retention) * base.annualContributionMinor >= 3) expect(riskier.clvMinor).toBeLessThan(base.clvMinor);
      }),
      { numRuns: 500 },
    );
  });
});

import { LifecycleInput, lifecycleStage } from './lifecycle-stage';
import { DEFAULT_SEGMENTATION_RULES as RULES, ruleProblems } from './segmentation-rules';

const asOf = '2026-06-30T12:00:00.000Z';
const daysAgo = (n: number) => new Date(Date.parse(asOf) - n * 86_400_000).toISOString();
const held = (over: Partial<LifecycleInput> = {}): LifecycleInput => ({ productsHeld: 2, firstProductAt: daysAgo(400), lastTransactionAt: daysAgo(1), aumMinor: 1_000_000, aumPeak90dMinor: 1_000_000, ...over });

describe('lifecycle stage (DOMAIN.md: evaluated in order, the first that holds wins)', () => {
  it.each<[string, LifecycleInput, string]>([
    ['never held a product', { productsHeld: 0, aumMinor: 0 }, 'PROSPECT'],
    ['held products, holds none (before NEW and DORMANT)', held({ productsHeld: 0, firstProductAt: daysAgo(10), lastTransactionAt: daysAgo(400) }), 'CHURNED'],
    ['first product 89 days ago', held({ firstProductAt: daysAgo(89), lastTransactionAt: undefined }), 'NEW'],
    ['first product 90 days ago, transacting', held({ firstProductAt: daysAgo(90) }), 'ACTIVE'],
    ['idle 89 days', held({ lastTransactionAt: daysAgo(89) }), 'ACTIVE'],
    ['idle 90 days', held({ lastTransactionAt: daysAgo(90) }), 'AT_RISK'],
    ['idle 179 days', held({ lastTransactionAt: daysAgo(179) }), 'AT_RISK'],
    ['idle 180 days (DORMANT before AT_RISK)', held({ lastTransactionAt: daysAgo(180) }), 'DORMANT'],
    ['never transacted, first product 200 days ago', held({ firstProductAt: daysAgo(200), lastTransactionAt: undefined }), 'DORMANT'],
    ['AUM exactly half its peak', held({ aumMinor: 500_000 }), 'AT_RISK'],
    ['AUM just above half its peak', held({ aumMinor: 500_001 }), 'ACTIVE'],
    ['churn score 0.7', held({ churnScore: 0.7 }), 'AT_RISK'],
    ['churn score 0.69', held({ churnScore: 0.69 }), 'ACTIVE'],
  ])('%s → %s', (_, input, stage) => {
    const d = lifecycleStage(input, asOf, RULES);
    expect(d.stage).toBe(stage);
    expect(d.reason.length).toBeGreaterThan(0);
  });
});

describe('segmentation rules', () => {
  it('accepts the defaults and names what a bank set wrong', () => {
    expect(ruleProblems(RULES)).toEqual([]);
    expect(ruleProblems({ ...RULES, tierThresholdsMinor: { DIAMOND: 1, GOLD: 2, SILVER: 3 }, recencyDays: [30, 7, 60, 90], atRiskAfterDays: 200 })).toEqual([
      'tierThresholdsMinor must fall from DIAMOND to GOLD to SILVER, all above 0',
      'recencyDays must rise (days for scores 5, 4, 3, 2)',
      'atRiskAfterDays must be below dormantAfterDays',
    ]);
  });
});

import { DEFAULT_SEGMENTATION_RULES as RULES, SegmentationRules, ruleProblems } from './segmentation-rules';

const clv = (over: Partial<SegmentationRules['clv']>): Partial<SegmentationRules> => ({ clv: { ...RULES.clv, ...over } });

describe('segmentation rules hold together (the RFM mode and CLV numbers)', () => {
  it('the defaults do', () => {
    expect(ruleProblems(RULES)).toEqual([]);
  });

  it.each([
    ['an unknown RFM mode', { rfmMode: 'ADAPTIVE' }, 'rfmMode must be one of FIXED, QUANTILE'],
    ['a quantile minimum below one customer a score', { rfmQuantileMinCustomers: 4 }, 'rfmQuantileMinCustomers must be a whole number, at least 5'],
    ['a fractional quantile minimum', { rfmQuantileMinCustomers: 50.5 }, 'rfmQuantileMinCustomers must be a whole number, at least 5'],
    ['a margin above 1', clv({ marginByType: { ...RULES.clv.marginByType, WEALTH: 1.01 } }), 'clv margins must be in [0, 1] for every product type (not: WEALTH)'],
    ['a margin missing', clv({ marginByType: { ...RULES.clv.marginByType, FUND: undefined as unknown as number } }), 'clv margins must be in [0, 1] for every product type (not: FUND)'],
    ['negative fee annualisation', clv({ feeAnnualisation: -1 }), 'clv feeAnnualisation must be 0 or more'],
    ['a discount rate above 1', clv({ discountRate: 1.5 }), 'clv discountRate must be in [0, 1]'],
    ['retention min above max', clv({ retentionRange: { min: 0.5, max: 0.4 } }), 'clv retention range must hold 0 ≤ min ≤ max < 1'],
    ['retention max at 1 (CLV unbounded at d = 0)', clv({ retentionRange: { min: 0.05, max: 1 } }), 'clv retention range must hold 0 ≤ min ≤ max < 1'],
    ['retention min below 0', clv({ retentionRange: { min: -0.1, max: 0.9 } }), 'clv retention range must hold 0 ≤ min ≤ max < 1'],
  ])('%s is refused', (_, over, message) => {
    expect(ruleProblems({ ...RULES, ...(over as Partial<SegmentationRules>) })).toEqual([expect.stringContaining(message)]);
  });

  it.each([
    ['no margin, no fees, no discount', clv({ marginByType: Object.fromEntries(Object.keys(RULES.clv.marginByType).map((k) => [k, 0])) as SegmentationRules['clv']['marginByType'], feeAnnualisation: 0, discountRate: 0 })],
    ['a fixed retention', clv({ retentionRange: { min: 0.8, max: 0.8 } })],
    ['the quantile mode', { rfmMode: 'QUANTILE' as const, rfmQuantileMinCustomers: 5 }],
  ])('%s is fine', (_, over) => {
    expect(ruleProblems({ ...RULES, ...over })).toEqual([]);
  });
});

import fc from 'fast-check';
import { emptyRfmSample, measureRfm, rfmQuantileBreakpoints, RfmSample, sameBreakpoints } from './rfm-quantiles';
import { rfmScores } from './rfm-score';
import { DEFAULT_SEGMENTATION_RULES as RULES, ruleProblems } from './segmentation-rules';

const FIXED = { recencyDays: RULES.recencyDays, frequencyCounts: RULES.frequencyCounts, monetaryMinor: RULES.monetaryMinor };
const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const repeat = (n: number, value: number) => Array.from({ length: n }, () => value);
const sample = (values: number[]): RfmSample => ({ recencyDays: values, frequencyCounts: values, monetaryMinor: values });

describe('RFM quantile breakpoints (DOMAIN.md: RFM, quantile mode)', () => {
  it('puts the breakpoints at the quintiles: recency lower is better, frequency and monetary higher', () => {
    expect(rfmQuantileBreakpoints(sample(oneTo(100)), RULES)).toEqual({ recencyDays: [20, 40, 60, 80], frequencyCounts: [81, 61, 41, 21], monetaryMinor: [81, 61, 41, 21] });
  });

  it.each([
    ['49 customers: the fixed breakpoints', 49, FIXED],
    ['50 customers: quintiles', 50, { recencyDays: [10, 20, 30, 40], frequencyCounts: [41, 31, 21, 11], monetaryMinor: [41, 31, 21, 11] }],
  ])('%s', (_, n, expected) => {
    expect(rfmQuantileBreakpoints(sample(oneTo(n)), RULES)).toEqual(expected);
  });

  it('keeps the fixed breakpoints of a dimension too few customers measure, whatever the others do', () => {
    const out = rfmQuantileBreakpoints({ recencyDays: oneTo(10), frequencyCounts: oneTo(100), monetaryMinor: [] }, RULES);
    expect(out).toEqual({ recencyDays: FIXED.recencyDays, frequencyCounts: [81, 61, 41, 21], monetaryMinor: FIXED.monetaryMinor });
  });

  it('takes the minimum from the rules', () => {
    expect(rfmQuantileBreakpoints(sample(oneTo(49)), { ...RULES, rfmQuantileMinCustomers: 40 }).recencyDays).toEqual([10, 20, 30, 40]);
    expect(rfmQuantileBreakpoints(sample(oneTo(100)), { ...RULES, rfmQuantileMinCustomers: 101 })).toEqual(FIXED);
  });

  it('leaves out what is no measurement: negative, NaN, infinite (and they do not count towards the minimum)', () => {
    const noise = [-1, NaN, Infinity, -Infinity];
    expect(rfmQuantileBreakpoints(sample([...oneTo(100), ...noise]), RULES)).toEqual(rfmQuantileBreakpoints(sample(oneTo(100)), RULES));
    expect(rfmQuantileBreakpoints(sample([...oneTo(48), ...noise]), RULES)).toEqual(FIXED);
  });

  it.each([
    ['everyone alike', repeat(100, 10), [10, 11, 12, 13], [13, 12, 11, 10]],
    ['everyone at 0', repeat(100, 0), [0, 1, 2, 3], [4, 3, 2, 1]],
    ['four fifths at 0', [...repeat(80, 0), ...repeat(20, 10)], [0, 1, 2, 3], [10, 3, 2, 1]],
    ['one fifth at 0, then one each', [...repeat(20, 0), ...oneTo(80)], [0, 20, 40, 60], [61, 41, 21, 1]],
  ])('nudges ties apart: %s', (_, values, recencyDays, higherIsBetter) => {
    const out = rfmQuantileBreakpoints(sample(values), RULES);
    expect(out).toEqual({ recencyDays, frequencyCounts: higherIsBetter, monetaryMinor: higherIsBetter });
    expect(ruleProblems({ ...RULES, ...out })).toEqual([]);
  });

  it.each([2 ** 53, Number.MAX_VALUE])('keeps the nudges exact however large the values: everyone at %d', (huge) => {
    const out = rfmQuantileBreakpoints(sample(repeat(100, huge)), RULES);
    expect(out.recencyDays).toEqual([2 ** 52, 2 ** 52 + 1, 2 ** 52 + 2, 2 ** 52 + 3]);
    expect(ruleProblems({ ...RULES, ...out })).toEqual([]);
  });

  const value = fc.oneof(fc.nat(400), fc.integer({ min: 0, max: 2 ** 53 }), fc.double(), fc.constantFrom(0, 1, -1, NaN, Infinity, 2 ** 52, Number.MAX_VALUE));
  const values = fc.array(value, { maxLength: 300 });

  it('always gives breakpoints ruleProblems accepts, for any sample (property)', () => {
    fc.assert(
      fc.property(values, values, values, fc.integer({ min: 5, max: 120 }), (recencyDays, frequencyCounts, monetaryMinor, min) => {
        const out = rfmQuantileBreakpoints({ recencyDays, frequencyCounts, monetaryMinor }, { ...RULES, rfmQuantileMinCustomers: min });
        expect(ruleProblems({ ...RULES, ...out })).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('gives each score about a fifth of a uniform base (property)', () => {
    const asOf = '2026-06-30T12:00:00.000Z';
    const daysAgo = (n: number) => new Date(Date.parse(asOf) - n * 86_400_000).toISOString();
    const uniform = (max: number) => fc.array(fc.noBias(fc.integer({ min: 0, max })), { minLength: 500, maxLength: 1500 });
    fc.assert(
      fc.property(uniform(3_650), uniform(1_000_000), uniform(1_000_000_000), (recency, frequency, monetary) => {
        const out = rfmQuantileBreakpoints({ recencyDays: recency, frequencyCounts: frequency, monetaryMinor: monetary }, RULES);
        const shares = (scores: number[]) => [1, 2, 3, 4, 5].map((k) => scores.filter((s) => s === k).length / scores.length);
        const zero = { txnCount90d: 0, txnAmount90dMinor: 0 };
        // "About": the customers tied on a breakpoint all fall in one score (a handful over these ranges).
        const near = (xs: number[]) => xs.forEach((x) => expect(Math.abs(x - 0.2)).toBeLessThanOrEqual(0.02));
        near(shares(recency.map((d) => rfmScores({ ...zero, lastTransactionAt: daysAgo(d) }, asOf, out).r)));
        near(shares(frequency.map((n) => rfmScores({ ...zero, txnCount90d: n }, asOf, out).f)));
        near(shares(monetary.map((m) => rfmScores({ ...zero, txnAmount90dMinor: m }, asOf, out).m)));
      }),
      { numRuns: 50 },
    );
  });
});

describe('measuring the base for the quantile mode', () => {
  const AS_OF = '2026-12-01T00:00:00Z';

  it('measures what rfmScores reads: whole days since the last transaction, 90-day count and amount', () => {
    const s = emptyRfmSample();
    measureRfm(s, { lastTransactionAt: '2026-11-21T06:00:00Z', txnCount90d: 12, txnAmount90dMinor: 3_400 }, AS_OF);
    measureRfm(s, { txnCount90d: 0, txnAmount90dMinor: 0 }, AS_OF);
    // The customer who never transacted scores R 1 whatever the breakpoints: not a recency measurement.
    expect(s).toEqual({ recencyDays: [9], frequencyCounts: [12, 0], monetaryMinor: [3_400, 0] });
  });

  it('the breakpoints of a measured base score it into fifths', () => {
    const s = emptyRfmSample();
    const inputs = oneTo(100).map((n) => ({ lastTransactionAt: new Date(Date.parse(AS_OF) - n * 86_400_000).toISOString(), txnCount90d: n, txnAmount90dMinor: n * 100 }));
    for (const input of inputs) measureRfm(s, input, AS_OF);
    const breakpoints = rfmQuantileBreakpoints(s, RULES);
    const perScore = (pick: (x: ReturnType<typeof rfmScores>) => number) => [1, 2, 3, 4, 5].map((k) => inputs.filter((i) => pick(rfmScores(i, AS_OF, breakpoints)) === k).length);
    expect(perScore((x) => x.r)).toEqual([20, 20, 20, 20, 20]);
    expect(perScore((x) => x.f)).toEqual([20, 20, 20, 20, 20]);
    expect(perScore((x) => x.m)).toEqual([20, 20, 20, 20, 20]);
  });

  it('tells breakpoints that score alike from those that do not', () => {
    expect(sameBreakpoints(FIXED, { ...RULES })).toBe(true);
    expect(sameBreakpoints(FIXED, { ...FIXED, recencyDays: [7, 30, 60, 91] })).toBe(false);
    expect(sameBreakpoints(FIXED, { ...FIXED, monetaryMinor: [1, 2, 3, 4] })).toBe(false);
  });
});

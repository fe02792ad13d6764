import fc from 'fast-check';
import { QualityCounts, emptyCounts, observe, ruleRates, sumCounts, windowBuckets } from './quality-window';

const limits = { minRecords: 200, threshold: 0.05 };

function source(records: number, failing: number, field = 'payload.birthDate', rule = 'birthDateMatchesIdNumber'): QualityCounts {
  const c = emptyCounts();
  for (let i = 0; i < records; i++) observe(c, i < failing ? [{ field, rule }] : []);
  return c;
}

describe('data-quality window (DOMAIN.md: more than 5 % of at least 200 records fail one rule)', () => {
  it.each([
    [200, 11, true], // 5.5 %
    [200, 10, false], // exactly 5 % is not more than 5 %
    [199, 50, false], // too few records to judge
    [1000, 51, true],
  ])('%d records, %d failing → alerting %s', (records, failing, alerting) => {
    const [rate] = ruleRates(source(records, failing), limits);
    expect(rate.alerting).toBe(alerting);
    expect(rate.rate).toBeCloseTo(failing / records);
  });

  it('counts a rule once per record, however often the record breaks it, and each rule separately', () => {
    const c = emptyCounts();
    observe(c, [
      { field: 'payload.phone', rule: 'isPhone' },
      { field: 'payload.phone', rule: 'isPhone' },
      { field: 'payload.idNumber', rule: 'isPrcResidentId' },
    ]);
    observe(c, []);
    expect(c).toEqual({ records: 2, rejected: 1, failures: new Map([['payload.phone|isPhone', 1], ['payload.idNumber|isPrcResidentId', 1]]) });
  });

  it('a window is the sum of its buckets, whatever way the records were split', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(50), fc.nat(50)), { maxLength: 20 }), (parts) => {
        const buckets = parts.map(([ok, bad]) => source(ok + bad, bad));
        const total = sumCounts(buckets);
        const whole = source(parts.reduce((s, [ok, bad]) => s + ok + bad, 0), parts.reduce((s, [, bad]) => s + bad, 0));
        expect(total).toEqual(whole);
      }),
    );
  });

  it('lists the minute buckets of a window, newest first', () => {
    expect(windowBuckets(new Date(Date.UTC(2026, 0, 1, 0, 2, 30)), 3)).toEqual([29453762, 29453761, 29453760]);
  });
});

import fc from 'fast-check';
import { ChurnInput, DEFAULT_CHURN_MODEL as MODEL, assessChurn, churnBand } from './churn-risk';

const asOf = '2026-06-30T12:00:00.000Z';
const daysAgo = (n: number) => new Date(Date.parse(asOf) - n * 86_400_000).toISOString();
const engaged: ChurnInput = { lastActivityAt: asOf, txnCount30d: 10, txnCountPrior60d: 20, aumMinor: 10_000_000, aumChange30dMinor: 0, latestCsat: 5, appLogins30d: 12, appLoginsPrior30d: 12 };

describe('churn risk (DOMAIN.md: a logistic model, bands LOW < 0.4 ≤ MEDIUM < 0.7 ≤ HIGH)', () => {
  it.each([
    [0.3999, 'LOW'],
    [0.4, 'MEDIUM'],
    [0.6999, 'MEDIUM'],
    [0.7, 'HIGH'],
  ])('score %f → %s', (score, band) => {
    expect(churnBand(score, MODEL)).toBe(band);
  });

  it('an engaged customer is LOW, with no factors', () => {
    expect(assessChurn(engaged, asOf)).toEqual({ score: 0.0474, band: 'LOW', topFactors: [] });
  });

  it('a customer drifting away is HIGH, with the three factors that weigh most, largest first', () => {
    const drifting = { ...engaged, lastActivityAt: daysAgo(100), txnCount30d: 0, aumChange30dMinor: -6_000_000, aumMinor: 4_000_000, latestCsat: 2, complaints90d: 1 };
    const a = assessChurn(drifting, asOf);
    expect(a.band).toBe('HIGH');
    // aumDrop (0.6 × 2) and transactionDecline (1 × 1.2) tie: by name; lowSatisfaction (0.75 × 1.5) is fourth.
    expect(a.topFactors.map((f) => f.factor)).toEqual(['inactivity', 'aumDrop', 'transactionDecline']);
    expect(a.topFactors[0].contribution).toBeCloseTo(2 * (100 / 90), 3);
  });

  it.each([
    ['90 days without activity', { lastActivityAt: daysAgo(90) }, 'LOW'],
    ['180 days without activity', { lastActivityAt: daysAgo(180) }, 'HIGH'],
    ['half the AUM gone in 30 days and three complaints', { aumChange30dMinor: -10_000_000, aumMinor: 10_000_000, complaints90d: 3 }, 'MEDIUM'],
    ['half the AUM gone in 30 days and two complaints', { aumChange30dMinor: -10_000_000, aumMinor: 10_000_000, complaints90d: 2 }, 'LOW'],
  ])('%s → %s', (_, over, band) => {
    expect(assessChurn({ ...engaged, ...over }, asOf).band).toBe(band);
  });

  it('only ever rises as a worrying signal grows, and stays in [0, 1]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 5 }), (d1, d2, complaints) => {
        const [near, far] = [Math.min(d1, d2), Math.max(d1, d2)];
        const a = assessChurn({ ...engaged, lastActivityAt: daysAgo(near), complaints90d: complaints }, asOf);
        const b = assessChurn({ ...engaged, lastActivityAt: daysAgo(far), complaints90d: complaints + 1 }, asOf);
        expect(b.score).toBeGreaterThanOrEqual(a.score);
        for (const s of [a.score, b.score]) expect(s >= 0 && s <= 1).toBe(true);
        expect(b.topFactors.length).toBeLessThanOrEqual(3);
      }),
    );
  });
});

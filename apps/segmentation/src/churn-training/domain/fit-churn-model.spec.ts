import fc from 'fast-check';
import { CHURN_FACTORS, ChurnFactorName } from '../../segments/domain/churn-risk';
import { fitChurnModel } from './fit-churn-model';

const unit = fc.noBias(fc.integer({ min: 0, max: 999_999 })).map((n) => n / 1_000_000);

/** Signals drawn in [0, 1) (inactivity in [0, 4)), the same for a seed; churned drawn from σ(intercept + Σ truth × signal). */
function history(truth: Partial<Record<ChurnFactorName, number>>, intercept: number, rows: number, seed: number) {
  const draws = fc.sample(fc.tuple(fc.array(unit, { minLength: CHURN_FACTORS.length, maxLength: CHURN_FACTORS.length }), unit), { seed, numRuns: rows });
  const signals = draws.map(([x]) => x.map((v, j) => (CHURN_FACTORS[j] === 'inactivity' ? 4 : 1) * v));
  const churned = signals.map((x, i) => draws[i][1] < 1 / (1 + Math.exp(-(intercept + CHURN_FACTORS.reduce((s, f, j) => s + (truth[f] ?? 0) * x[j], 0)))));
  return { signals, churned };
}

describe('fitChurnModel (ml-logistic-regression, weights ≥ 0)', () => {
  it('recovers the weights that generated the history: their signs, order and rough size', () => {
    const { signals, churned } = history({ inactivity: 1.5, complaints: 3, lowSatisfaction: 1 }, -4, 1500, 7);
    const fit = fitChurnModel(signals, churned, 300);
    expect(fit.weights.complaints).toBeGreaterThan(2);
    expect(fit.weights.complaints).toBeLessThan(4);
    expect(fit.weights.inactivity).toBeGreaterThan(1);
    expect(fit.weights.inactivity).toBeLessThan(2);
    expect(fit.weights.lowSatisfaction).toBeGreaterThan(0.4);
    expect(fit.intercept).toBeGreaterThan(-5);
    expect(fit.intercept).toBeLessThan(-3);
    for (const f of ['transactionDecline', 'aumDrop', 'productsClosed', 'appLoginDecline'] as const) expect(fit.weights[f]).toBeLessThan(0.6);
  });

  it('separates a history that one signal decides, with a large positive weight there', () => {
    const signals = Array.from({ length: 200 }, (_, i) => CHURN_FACTORS.map((f) => (f === 'aumDrop' ? (i % 2 ? 0.8 : 0.1) : ((i * 7) % 10) / 10)));
    const fit = fitChurnModel(signals, signals.map((_, i) => i % 2 === 1), 300);
    expect(fit.weights.aumDrop).toBeGreaterThan(5);
    expect(Math.max(...CHURN_FACTORS.filter((f) => f !== 'aumDrop').map((f) => fit.weights[f]))).toBeLessThan(fit.weights.aumDrop / 5);
  });

  it('holds at 0 a factor that lowers the risk, and one that never varies', () => {
    const { signals, churned } = history({ inactivity: 1.5, aumDrop: -3 }, -2, 1500, 11);
    const productsClosed = CHURN_FACTORS.indexOf('productsClosed');
    for (const row of signals) row[productsClosed] = 0;
    const fit = fitChurnModel(signals, churned, 300);
    expect(fit.weights.aumDrop).toBe(0);
    expect(fit.weights.productsClosed).toBe(0);
    expect(fit.heldAtZero).toEqual(expect.arrayContaining(['aumDrop', 'productsClosed']));
    expect(fit.weights.inactivity).toBeGreaterThan(1);
    expect(Object.values(fit.weights).every((w) => w >= 0)).toBe(true);
  });

  it.each([
    ['no churner', [false, false, false]],
    ['no stayer', [true, true, true]],
  ])('refuses a history with %s', (_, churned) => {
    expect(() => fitChurnModel([[0], [1], [2]].map(() => CHURN_FACTORS.map(() => 0.5)), churned, 10)).toThrow('a fit needs churners and stayers alike');
  });
});

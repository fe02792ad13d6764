import LogisticRegression from 'ml-logistic-regression';
import { Matrix } from 'ml-matrix';
import { CHURN_FACTORS, ChurnFactorName } from '../../segments/domain/churn-risk';

export interface ChurnFit {
  intercept: number;
  weights: Record<ChurnFactorName, number>;
  /** Factors fixed at 0: constant in the training set, or fitted below 0 (SEGMENT_CHURN_WEIGHTS takes weights ≥ 0). */
  heldAtZero: ChurnFactorName[];
}

interface Standardised {
  mean: number[];
  sd: number[];
}

function columnStats(signals: readonly number[][], columns: readonly number[]): Standardised {
  const n = signals.length;
  const mean = columns.map((j) => signals.reduce((s, x) => s + x[j], 0) / n);
  const sd = columns.map((j, k) => Math.sqrt(signals.reduce((s, x) => s + (x[j] - mean[k]) ** 2, 0) / n));
  return { mean, sd };
}

/**
 * One fit through ml-logistic-regression on the given signal columns, standardised (so a
 * few hundred gradient steps converge whatever the signals' scales) and mapped back to raw
 * signal weights. The library has no intercept of its own, so a column of ones carries it;
 * it sums the gradient over rows, so the step is 1/L of the mean log-likelihood, L ≤ (columns + 1) / 4
 * for standardised columns. With two classes, classifiers[0] scores "not stayed" = churned.
 */
function fitColumns(signals: readonly number[][], churned: readonly boolean[], columns: readonly number[], steps: number): { intercept: number; weights: number[] } {
  const { mean, sd } = columnStats(signals, columns);
  const design = new Matrix(signals.map((x) => [1, ...columns.map((j, k) => (x[j] - mean[k]) / sd[k])]));
  const model = new LogisticRegression({ numSteps: steps, learningRate: 4 / ((columns.length + 1) * signals.length) });
  model.train(design, Matrix.columnVector(churned.map((c) => (c ? 1 : 0))));
  const [bias, ...standardised] = model.classifiers[0].weights.to1DArray();
  const weights = standardised.map((w, k) => w / sd[k]);
  return { intercept: bias - weights.reduce((s, w, k) => s + w * mean[k], 0), weights };
}

/**
 * Refits the churn model's intercept and weights (DOMAIN.md: churn risk) on signal rows in
 * CHURN_FACTORS order. Weights must be ≥ 0 (a worrying signal never lowers the risk), so a
 * factor fitted below 0 is held at 0 and the rest refitted, most negative first, until none is.
 */
export function fitChurnModel(signals: readonly number[][], churned: readonly boolean[], steps: number): ChurnFit {
  if (signals.length !== churned.length) throw new Error(`fitChurnModel needs one label per row (${signals.length} rows, ${churned.length} labels)`);
  const churners = churned.filter(Boolean).length;
  if (churners === 0 || churners === churned.length) throw new Error(`a fit needs churners and stayers alike (got ${churners} churned of ${churned.length})`);
  let columns = CHURN_FACTORS.map((_, j) => j).filter((j) => columnStats(signals, [j]).sd[0] > 0);
  let fit = fitColumns(signals, churned, columns, steps);
  for (;;) {
    const worst = fit.weights.reduce((w, value, k) => (value < 0 && (w < 0 || value < fit.weights[w]) ? k : w), -1);
    if (worst < 0) break;
    columns = columns.filter((_, k) => k !== worst);
    fit = fitColumns(signals, churned, columns, steps);
  }
  const weights = Object.fromEntries(CHURN_FACTORS.map((f) => [f, 0])) as Record<ChurnFactorName, number>;
  columns.forEach((j, k) => (weights[CHURN_FACTORS[j]] = fit.weights[k]));
  return { intercept: fit.intercept, weights, heldAtZero: CHURN_FACTORS.filter((_, j) => !columns.includes(j)) };
}

import { CHURN_FACTORS, ChurnFactorName, ChurnModel, DEFAULT_CHURN_MODEL, assessChurn, churnSignals } from '../../segments/domain/churn-risk';
import { asPrinted } from './churn-env-lines';
import { ChurnTrainingRow } from './churn-training-row';
import { fitChurnModel } from './fit-churn-model';
import { rocAuc } from './roc-auc';
import { stratifiedSplit } from './stratified-split';

export interface ChurnTrainingOptions {
  /** Share of each class held out to measure AUC on (0–1, exclusive). */
  testShare: number;
  /** Names the split: the same file and seed give the same split. */
  seed: string;
  /** Gradient steps of the logistic fit. */
  steps: number;
}

/** `npm run train:churn`'s defaults; its flags --test-share, --seed and --steps override them. */
export const DEFAULT_CHURN_TRAINING: ChurnTrainingOptions = { testShare: 0.25, seed: 'meridian', steps: 1000 };

export interface ChurnTrainingResult {
  rows: number;
  train: { rows: number; churned: number };
  test: { rows: number; churned: number };
  /** The refitted model, rounded as its env lines print it. */
  refitted: ChurnModel;
  heldAtZero: ChurnFactorName[];
  /** AUC on the held-out rows of the refitted model and of the shipped defaults, same rows. */
  heldOutAuc: { refitted: number; defaults: number };
}

/** The model's signals exactly as segmentation computes them (churnSignals), so trained weights mean in production what they meant here. */
const signalVector = (row: ChurnTrainingRow): number[] => {
  const signals = churnSignals(row.features, row.asOf);
  return CHURN_FACTORS.map((f) => signals[f]);
};

/** Held-out AUC of the scores segmentation would publish (assessChurn) under a model. */
const heldOutAuc = (rows: readonly ChurnTrainingRow[], model: ChurnModel): number =>
  rocAuc(
    rows.map((r) => assessChurn(r.features, r.asOf, model).score),
    rows.map((r) => r.churned),
  );

/**
 * DOMAIN.md: churn risk — "npm run train:churn refits them from labelled history": a
 * stratified split, a fit on the training rows, and AUC on the held-out rows for the refitted
 * model and for the shipped defaults on the same split, so a bank sees whether refitting helps.
 */
export function trainChurnModel(rows: readonly ChurnTrainingRow[], options: ChurnTrainingOptions = DEFAULT_CHURN_TRAINING, defaults: ChurnModel = DEFAULT_CHURN_MODEL): ChurnTrainingResult {
  const { train, test } = stratifiedSplit(rows, options.testShare, options.seed);
  const fit = fitChurnModel(train.map(signalVector), train.map((r) => r.churned), options.steps);
  const refitted = asPrinted(fit, defaults.bands);
  const churnedIn = (set: readonly ChurnTrainingRow[]) => set.filter((r) => r.churned).length;
  return {
    rows: rows.length,
    train: { rows: train.length, churned: churnedIn(train) },
    test: { rows: test.length, churned: churnedIn(test) },
    refitted,
    heldAtZero: fit.heldAtZero,
    heldOutAuc: { refitted: heldOutAuc(test, refitted), defaults: heldOutAuc(test, defaults) },
  };
}

/** ml-logistic-regression 2.0.0 ships no types; this is the part segmentation's churn training uses. */
declare module 'ml-logistic-regression' {
  import type { Matrix } from 'ml-matrix';

  class LogisticRegression {
    constructor(options?: { numSteps?: number; learningRate?: number });
    /** One-vs-all: classifiers[k] scores "not class k" (the library relabels class k 0 and the rest 1); weights is 1 × columns, no intercept of its own. */
    classifiers: Array<{ weights: Matrix }>;
    train(features: Matrix, classes: Matrix): void;
    predict(features: Matrix): number[];
  }
  export = LogisticRegression;
}

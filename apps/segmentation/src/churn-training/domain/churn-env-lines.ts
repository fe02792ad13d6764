import { CHURN_FACTORS, ChurnModel } from '../../segments/domain/churn-risk';

const rounded = (x: number): number => Math.round(x * 1000) / 1000 || 0;

/** The refitted model as the two lines segmentation's environment reads (SegmentationConfig: SEGMENT_CHURN_INTERCEPT, SEGMENT_CHURN_WEIGHTS), three decimals. */
export function churnEnvLines(model: Pick<ChurnModel, 'intercept' | 'weights'>): [string, string] {
  return [`SEGMENT_CHURN_INTERCEPT=${rounded(model.intercept)}`, `SEGMENT_CHURN_WEIGHTS=${CHURN_FACTORS.map((f) => `${f}=${rounded(model.weights[f])}`).join(',')}`];
}

/** The model segmentation runs once those lines are set: the weights rounded as printed, the bands kept. */
export function asPrinted(model: Pick<ChurnModel, 'intercept' | 'weights'>, bands: ChurnModel['bands']): ChurnModel {
  const weights = { ...model.weights };
  for (const f of CHURN_FACTORS) weights[f] = rounded(weights[f]);
  return { intercept: rounded(model.intercept), weights, bands };
}

import { churnEnvLines } from './churn-env-lines';
import { ChurnTrainingOptions, ChurnTrainingResult } from './train-churn-model';

const percent = (part: number, whole: number): string => `${((100 * part) / whole).toFixed(1)} %`;

/** What `npm run train:churn` prints: the data, the split, both held-out AUCs, and the env lines last, to paste. */
export function churnTrainingReport(result: ChurnTrainingResult, options: ChurnTrainingOptions): string[] {
  const { train, test, heldOutAuc } = result;
  const gain = heldOutAuc.refitted - heldOutAuc.defaults;
  return [
    `rows read: ${result.rows}`,
    `train / test: ${train.rows} / ${test.rows} (stratified by churned, ${percent(test.rows, result.rows)} held out, seed "${options.seed}")`,
    `churn rate: ${percent(train.churned + test.churned, result.rows)} (train ${percent(train.churned, train.rows)}, test ${percent(test.churned, test.rows)})`,
    `held-out AUC, refitted weights: ${heldOutAuc.refitted.toFixed(3)}`,
    `held-out AUC, default weights:  ${heldOutAuc.defaults.toFixed(3)} (refitting ${gain >= 0 ? 'gains' : 'loses'} ${Math.abs(gain).toFixed(3)})`,
    ...(result.heldAtZero.length ? [`held at 0 (constant, or fitted below 0; weights must be ≥ 0): ${result.heldAtZero.join(', ')}`] : []),
    '',
    '# segmentation environment (SegmentationConfig), refitted:',
    ...churnEnvLines(result.refitted),
  ];
}

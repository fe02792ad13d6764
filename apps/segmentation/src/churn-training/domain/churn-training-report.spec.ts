import { DEFAULT_CHURN_MODEL } from '../../segments/domain/churn-risk';
import { churnTrainingReport } from './churn-training-report';
import { ChurnTrainingResult, DEFAULT_CHURN_TRAINING } from './train-churn-model';

const result: ChurnTrainingResult = {
  rows: 1600,
  train: { rows: 1200, churned: 236 },
  test: { rows: 400, churned: 79 },
  refitted: { ...DEFAULT_CHURN_MODEL, intercept: -3.934, weights: { ...DEFAULT_CHURN_MODEL.weights, aumDrop: 3.895, productsClosed: 0 } },
  heldAtZero: [],
  heldOutAuc: { refitted: 0.8281, defaults: 0.7864 },
};

describe('churnTrainingReport (what train:churn prints)', () => {
  it('shows the rows, the split, the churn rate, both held-out AUCs and the env lines last', () => {
    expect(churnTrainingReport(result, DEFAULT_CHURN_TRAINING)).toEqual([
      'rows read: 1600',
      'train / test: 1200 / 400 (stratified by churned, 25.0 % held out, seed "meridian")',
      'churn rate: 19.7 % (train 19.7 %, test 19.8 %)',
      'held-out AUC, refitted weights: 0.828',
      'held-out AUC, default weights:  0.786 (refitting gains 0.042)',
      '',
      '# segmentation environment (SegmentationConfig), refitted:',
      'SEGMENT_CHURN_INTERCEPT=-3.934',
      'SEGMENT_CHURN_WEIGHTS=inactivity=2,transactionDecline=1.2,aumDrop=3.895,productsClosed=0,complaints=0.7,lowSatisfaction=1.5,appLoginDecline=0.8',
    ]);
  });

  it.each([
    [{ refitted: 0.7, defaults: 0.75 }, [], 'held-out AUC, default weights:  0.750 (refitting loses 0.050)'],
    [{ refitted: 0.8, defaults: 0.7 }, ['aumDrop', 'productsClosed'], 'held at 0 (constant, or fitted below 0; weights must be ≥ 0): aumDrop, productsClosed'],
  ] as const)('says when refitting loses, and which factors it held at 0 (%#)', (heldOutAuc, heldAtZero, line) => {
    expect(churnTrainingReport({ ...result, heldOutAuc, heldAtZero: [...heldAtZero] }, DEFAULT_CHURN_TRAINING)).toContain(line);
  });
});

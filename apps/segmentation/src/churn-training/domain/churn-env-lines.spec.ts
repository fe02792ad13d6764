import { DEFAULT_CHURN_MODEL, parseChurnWeights } from '../../segments/domain/churn-risk';
import { asPrinted, churnEnvLines } from './churn-env-lines';

const refitted = {
  intercept: -3.93449,
  weights: { inactivity: 0.3127, transactionDecline: 2.5634, aumDrop: 3.89549, productsClosed: 0, complaints: 1.15, lowSatisfaction: 2.382, appLoginDecline: 0.0000004 },
};
const asEnv = (lines: string[]) => Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));

describe('churnEnvLines (what train:churn prints to paste)', () => {
  it('prints the intercept and every weight to three decimals', () => {
    expect(churnEnvLines(refitted)).toEqual([
      'SEGMENT_CHURN_INTERCEPT=-3.934',
      'SEGMENT_CHURN_WEIGHTS=inactivity=0.313,transactionDecline=2.563,aumDrop=3.895,productsClosed=0,complaints=1.15,lowSatisfaction=2.382,appLoginDecline=0',
    ]);
  });

  it('prints weights parseChurnWeights reads back as the model that was printed', () => {
    const weights = asEnv(churnEnvLines(refitted)).SEGMENT_CHURN_WEIGHTS;
    expect(parseChurnWeights(weights)).toEqual(asPrinted(refitted, DEFAULT_CHURN_MODEL.bands).weights);
  });

  it('prints the defaults as the defaults', () => {
    expect(parseChurnWeights(asEnv(churnEnvLines(DEFAULT_CHURN_MODEL)).SEGMENT_CHURN_WEIGHTS)).toEqual(DEFAULT_CHURN_MODEL.weights);
    expect(asEnv(churnEnvLines(DEFAULT_CHURN_MODEL)).SEGMENT_CHURN_INTERCEPT).toBe(String(DEFAULT_CHURN_MODEL.intercept));
  });
});

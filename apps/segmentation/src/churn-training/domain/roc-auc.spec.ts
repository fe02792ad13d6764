import fc from 'fast-check';
import { rocAuc } from './roc-auc';

/** The definition, pair by pair: the share of (churner, stayer) pairs the churner outscores, ties half. */
function pairwiseAuc(scores: number[], churned: boolean[]): number {
  let wins = 0;
  let pairs = 0;
  scores.forEach((p, i) => {
    if (!churned[i]) return;
    scores.forEach((n, j) => {
      if (churned[j]) return;
      pairs++;
      wins += p > n ? 1 : p === n ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

const T = true;
const F = false;

describe('rocAuc (rank-based, ties counted half)', () => {
  it.each([
    ['every churner above every stayer', [0.1, 0.2, 0.8, 0.9], [F, F, T, T], 1],
    ['every churner below every stayer', [0.9, 0.8, 0.2, 0.1], [F, F, T, T], 0],
    ['all scores tied', [0.5, 0.5, 0.5, 0.5], [F, T, F, T], 0.5],
    ['3 of 4 pairs right', [0.1, 0.4, 0.35, 0.8], [F, F, T, T], 0.75],
    ['a churner tied with a stayer: half a pair', [0.5, 0.5, 0.2, 0.9], [T, F, F, T], 0.875],
    ['a tie inside one class changes nothing', [0.3, 0.3, 0.6, 0.1], [T, T, F, F], 0.5],
    ['one churner among three stayers, ranked second', [0.2, 0.7, 0.5, 0.9], [F, F, T, F], 1 / 3],
  ])('%s → %f', (_, scores, churned, auc) => {
    expect(rocAuc(scores, churned)).toBeCloseTo(auc, 12);
  });

  it.each([
    ['no churner', [0.1, 0.2], [F, F], 'AUC needs churners and stayers alike (got 0 churned, 2 stayed)'],
    ['no stayer', [0.1, 0.2], [T, T], 'AUC needs churners and stayers alike (got 2 churned, 0 stayed)'],
    ['nothing at all', [], [], 'AUC needs churners and stayers alike'],
    ['labels missing', [0.1, 0.2, 0.3], [T, F], 'one label per score'],
  ])('refuses %s', (_, scores, churned, message) => {
    expect(() => rocAuc(scores, churned)).toThrow(message);
  });

  const labelled = fc
    .array(fc.record({ score: fc.integer({ min: 0, max: 5 }).map((s) => s / 5), churned: fc.boolean() }), { minLength: 2, maxLength: 40 })
    .filter((rows) => rows.some((r) => r.churned) && rows.some((r) => !r.churned));

  it('equals the pairwise definition, with many ties', () => {
    fc.assert(
      fc.property(labelled, (rows) => {
        const scores = rows.map((r) => r.score);
        const churned = rows.map((r) => r.churned);
        expect(rocAuc(scores, churned)).toBeCloseTo(pairwiseAuc(scores, churned), 12);
      }),
    );
  });

  it('is 1 − itself when the scores are reversed, and ignores the order of rows', () => {
    fc.assert(
      fc.property(labelled, (rows) => {
        const auc = rocAuc(rows.map((r) => r.score), rows.map((r) => r.churned));
        expect(rocAuc(rows.map((r) => -r.score), rows.map((r) => r.churned))).toBeCloseTo(1 - auc, 12);
        const reversed = [...rows].reverse();
        expect(rocAuc(reversed.map((r) => r.score), reversed.map((r) => r.churned))).toBeCloseTo(auc, 12);
      }),
    );
  });
});

import { DEFAULT_SEGMENTATION_RULES as RULES } from './segmentation-rules';
import { rfmScores, rfmSegment } from './rfm-score';

const CNY = 100;
const asOf = '2026-06-30T12:00:00.000Z';
const daysAgo = (n: number) => new Date(Date.parse(asOf) - n * 86_400_000).toISOString();

describe('RFM (DOMAIN.md: RFM, fixed breakpoints)', () => {
  it.each([
    [7, 5], [8, 4], [30, 4], [31, 3], [60, 3], [61, 2], [89, 2], [90, 2], [91, 1], [180, 1],
  ])('R: last transaction %i days ago → %i', (days, r) => {
    expect(rfmScores({ lastTransactionAt: daysAgo(days), txnCount90d: 0, txnAmount90dMinor: 0 }, asOf, RULES).r).toBe(r);
  });

  it('R is 1 for a customer who never transacted', () => {
    expect(rfmScores({ txnCount90d: 0, txnAmount90dMinor: 0 }, asOf, RULES).r).toBe(1);
  });

  it.each([
    [30, 5], [29, 4], [15, 4], [14, 3], [8, 3], [7, 2], [3, 2], [2, 1], [0, 1],
  ])('F: %i transactions in 90 days → %i', (n, f) => {
    expect(rfmScores({ txnCount90d: n, txnAmount90dMinor: 0 }, asOf, RULES).f).toBe(f);
  });

  it.each([
    [500_000 * CNY, 5], [500_000 * CNY - 1, 4], [100_000 * CNY, 4], [20_000 * CNY, 3], [20_000 * CNY - 1, 2], [5_000 * CNY, 2], [5_000 * CNY - 1, 1],
  ])('M: %i minor in 90 days → %i', (minor, m) => {
    expect(rfmScores({ txnCount90d: 0, txnAmount90dMinor: minor }, asOf, RULES).m).toBe(m);
  });

  it.each([
    [5, 5, 'Champions'], [5, 1, 'New'], [4, 1, 'Promising'], [4, 4, 'Loyal'], [3, 3, 'Need Attention'], [3, 1, 'About to Sleep'],
    [5, 2, 'Potential Loyalist'], [2, 3, 'At Risk'], [1, 5, "Can't Lose"], [2, 2, 'Hibernating'], [1, 1, 'Lost'],
  ])('R %i, F %i → %s', (r, f, segment) => {
    expect(rfmSegment(r, f)).toBe(segment);
  });

  it('names every cell of the map', () => {
    for (let r = 1; r <= 5; r++) for (let f = 1; f <= 5; f++) expect(rfmSegment(r, f)).toEqual(expect.any(String));
  });
});

import type { ProfileFeatures } from '@meridian/events';
import { DEFAULT_CHURN_MODEL } from '../../segments/domain/churn-risk';
import { evaluateCustomer } from '../../segments/domain/evaluate-customer';
import { EvaluationRules } from '../../segments/domain/segment-state';
import { DEFAULT_SEGMENTATION_RULES as RULES } from '../../segments/domain/segmentation-rules';
import { RuleBookEdition } from '../../segments/application/ports/rule-book.port';
import { SegmentStateDoc } from '../../segments/application/ports/segment-state-store.port';
import { rejudgeCause } from '../../segments/application/judged-writes';
import { rescoreCustomer, sweepCause, sweepCustomer } from './sweep-customer';
import { outboxEvents } from '../../segments/application/segment-announcements';

const CNY = 100;
const fixed: RuleBookEdition = { membership: { tags: [], segments: [] }, numbers: { rules: RULES, churnModel: DEFAULT_CHURN_MODEL, rfmBreakpoints: RULES } };
/** Breakpoints a base of busier customers would give: this customer's 10 transactions are F 2 here, F 3 under the fixed ones. */
const busier: RuleBookEdition = { ...fixed, numbers: { ...fixed.numbers, rfmBreakpoints: { recencyDays: [2, 5, 9, 20], frequencyCounts: [60, 40, 20, 10], monetaryMinor: RULES.monetaryMinor } as EvaluationRules['rfmBreakpoints'] } };

const features: ProfileFeatures = {
  aumMinor: 100_000 * CNY,
  productsHeld: ['DEPOSIT_CURRENT'],
  txnCount30d: 4,
  txnCount90d: 10,
  txnAmount30dMinor: 4_000 * CNY,
  txnAmount90dMinor: 10_000 * CNY,
  tags: [],
  firstProductAt: '2024-01-01T00:00:00Z',
  lastTransactionAt: '2026-11-28T00:00:00Z',
  lastActivityAt: '2026-11-28T00:00:00Z',
  txnCountPrior60d: 6,
  asOf: '2026-11-30T00:00:00Z',
};

function stored(asOf = '2026-11-30T00:00:00Z'): SegmentStateDoc {
  const { state } = evaluateCustomer(undefined, features, asOf, 3, fixed.membership, fixed.numbers);
  return { _id: 'C1', rev: 2, status: 'ACTIVE', ...state, outbox: [] };
}

describe('rescoreCustomer (quantile RFM, after the sweep recalibrated)', () => {
  const SWEEP = '2026-12-01T01:00:00.000Z';

  it('re-scores a customer the new breakpoints score otherwise, announcing RfmScored under the write’s rev', () => {
    const doc = stored();
    expect(doc.status === 'ACTIVE' && doc.facts.rfm).toMatchObject({ f: 3 });
    const { next, fresh } = rescoreCustomer(doc, SWEEP, busier);
    expect(next).toMatchObject({ rev: 3, asOf: SWEEP, facts: { rfm: { f: 2 } } });
    const rfm = outboxEvents(fresh).filter((e) => e.type === 'RfmScored');
    expect(rfm).toHaveLength(1);
    expect(rfm[0].eventId).toContain(rejudgeCause(3));
    expect(rfm[0].eventId).not.toContain(sweepCause(SWEEP));
  });

  it('leaves a customer alone whom the breakpoints score as before', () => {
    expect(rescoreCustomer(stored(), SWEEP, fixed)).toEqual({ fresh: [] });
  });

  it('re-scores at the customer’s own instant one evaluated after the sweep’s (on the breakpoints before)', () => {
    const later = '2026-12-01T05:00:00.000Z';
    const { next } = rescoreCustomer(stored(later), SWEEP, busier);
    expect(next).toMatchObject({ asOf: later, facts: { rfm: { f: 2 } } });
    // The due pass would leave that customer as is.
    expect(sweepCustomer(stored(later), SWEEP, busier)).toEqual({ fresh: [] });
  });

  it('leaves tombstones and the unknown alone', () => {
    expect(rescoreCustomer(undefined, SWEEP, busier)).toEqual({ fresh: [] });
    expect(rescoreCustomer({ _id: 'C2', rev: 4, status: 'MERGED', profileVersion: 9, asOf: SWEEP, memberships: [], outbox: [] }, SWEEP, busier)).toEqual({ fresh: [] });
  });
});

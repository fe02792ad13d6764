import fc from 'fast-check';
import type { ProfileFeatures } from '@meridian/events';
import { DEFAULT_CHURN_MODEL } from './churn-risk';
import { evaluateCustomer } from './evaluate-customer';
import { nextDueAt } from './next-due';
import { EvaluationRules, MembershipRules } from './segment-state';
import { DEFAULT_SEGMENTATION_RULES } from './segmentation-rules';

const numbers: EvaluationRules = { rules: DEFAULT_SEGMENTATION_RULES, churnModel: DEFAULT_CHURN_MODEL, rfmBreakpoints: DEFAULT_SEGMENTATION_RULES };
const none: MembershipRules = { tags: [], segments: [] };
const DAY = 86_400_000;
const T0 = Date.parse('2026-06-01T02:00:00Z');
const at = (ms: number) => new Date(ms).toISOString();

const profiles = fc.record({
  aumMinor: fc.integer({ min: 0, max: 800_000_00 }),
  previousAumMinor: fc.integer({ min: 0, max: 800_000_00 }),
  held: fc.integer({ min: 0, max: 2 }),
  firstProductDaysAgo: fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }),
  lastTxnDaysAgo: fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }),
  lastActivityDaysAgo: fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }),
  txnCount90d: fc.integer({ min: 0, max: 40 }),
  complaints90d: fc.integer({ min: 0, max: 3 }),
});

describe('nextDueAt', () => {
  it('no change comes before the instant it names: evaluated day by day with no new event, the first change is at or after it', () => {
    fc.assert(
      fc.property(profiles, (p) => {
        const ago = (d: number | undefined) => (d === undefined ? undefined : at(T0 - d * DAY));
        const f: ProfileFeatures = {
          aumMinor: p.aumMinor,
          productsHeld: (['DEPOSIT_CURRENT', 'FUND'] as const).slice(0, p.held),
          txnCount30d: Math.floor(p.txnCount90d / 3),
          txnCount90d: p.txnCount90d,
          txnAmount30dMinor: 0,
          txnAmount90dMinor: p.txnCount90d * 50_000,
          tags: [],
          firstProductAt: ago(p.firstProductDaysAgo),
          lastTransactionAt: ago(p.lastTxnDaysAgo),
          lastActivityAt: ago(p.lastActivityDaysAgo),
          complaints90d: p.complaints90d,
          asOf: at(T0),
        };
        // Seen first at the previous AUM, so a downgrade grace may be running.
        const seen = evaluateCustomer(undefined, { ...f, aumMinor: p.previousAumMinor }, at(T0 - 3 * DAY), 1, none, numbers).state;
        let state = evaluateCustomer(seen, f, at(T0), 2, none, numbers).state;
        const due = nextDueAt(state, numbers);
        let firstChange: number | undefined;
        for (let day = 1; day <= 400 && firstChange === undefined; day++) {
          const next = evaluateCustomer(state, f, at(T0 + day * DAY), 2, none, numbers);
          if (next.changes.length) firstChange = T0 + day * DAY;
          state = next.state;
        }
        if (firstChange !== undefined) {
          expect(due).toBeDefined();
          expect(Date.parse(due as string)).toBeLessThanOrEqual(firstChange);
        }
        if (due !== undefined) expect(Date.parse(due)).toBeGreaterThan(T0);
      }),
      { numRuns: 150 },
    );
  });

  it.each([
    ['the downgrade grace ends', { aumMinor: 40_000_00 }, '2026-06-28T02:00:00.000Z'],
    ['NEW runs out', { firstProductAt: '2026-05-01T00:00:00Z', lastTransactionAt: '2026-05-31T00:00:00Z', lastActivityAt: '2026-05-31T00:00:00Z' }, '2026-06-08T00:00:00.000Z'],
  ])('names the instant %s (or an earlier one)', (_what, over, expected) => {
    const f: ProfileFeatures = { aumMinor: 60_000_00, productsHeld: ['DEPOSIT_CURRENT'], txnCount30d: 5, txnCount90d: 15, txnAmount30dMinor: 0, txnAmount90dMinor: 0, tags: [], firstProductAt: '2025-01-01T00:00:00Z', lastTransactionAt: '2026-05-31T00:00:00Z', lastActivityAt: '2026-05-31T00:00:00Z', ...over };
    const seen = evaluateCustomer(undefined, { ...f, aumMinor: 60_000_00 }, at(T0 - 3 * DAY), 1, none, numbers).state;
    const state = evaluateCustomer(seen, f, at(T0), 2, none, numbers).state;
    expect(Date.parse(nextDueAt(state, numbers) as string)).toBeLessThanOrEqual(Date.parse(expected));
  });
});

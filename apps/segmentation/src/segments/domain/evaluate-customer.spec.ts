import fc from 'fast-check';
import type { ProfileFeatures } from '@meridian/events';
import { DEFAULT_CHURN_MODEL } from './churn-risk';
import { evaluateCustomer, membershipChanges } from './evaluate-customer';
import { CompiledRule, EvaluationRules, MembershipRules } from './segment-state';
import { DEFAULT_SEGMENTATION_RULES } from './segmentation-rules';
import { establishedFeatures } from '../testing/sample-features';

const numbers: EvaluationRules = { rules: DEFAULT_SEGMENTATION_RULES, churnModel: DEFAULT_CHURN_MODEL, rfmBreakpoints: DEFAULT_SEGMENTATION_RULES };
const CNY = 100;

/** The established payroll customer, seen the next morning. */
const features = (over: Partial<ProfileFeatures> = {}): ProfileFeatures => establishedFeatures({ asOf: '2026-12-01T09:00:00+08:00', ...over });

const rule = (id: string, matches: CompiledRule['matches']): CompiledRule => ({ id, matches });
const membership: MembershipRules = {
  tags: [rule('tag:HIGH_NET_WORTH', (f) => f.aumMinor >= 6_000_000 * CNY), rule('tag:SALARIED', (f) => f.tags.includes('PAYROLL')), rule('tag:GOLD_CLIENT', (f) => f.tier === 'GOLD')],
  // A segment over a catalogue tag and a derived fact.
  segments: [rule('seg-gold-salaried', (f) => f.tags.includes('SALARIED') && f.tier === 'GOLD')],
};

describe('evaluateCustomer', () => {
  it('a first evaluation announces every fact: tier, stage, churn band, RFM and the memberships entered', () => {
    const { state, changes } = evaluateCustomer(undefined, features(), '2026-12-01T09:00:00+08:00', 1, membership, numbers);
    expect(changes.map((c) => c.type)).toEqual(['TierChanged', 'LifecycleStageChanged', 'ChurnRiskChanged', 'RfmScored', 'SegmentMembershipChanged', 'SegmentMembershipChanged', 'SegmentMembershipChanged']);
    expect(changes[0].payload).toMatchObject({ to: 'GOLD' });
    expect(changes[1].payload).toMatchObject({ to: 'ACTIVE' });
    expect(changes[1].payload).not.toHaveProperty('from');
    expect(changes[2].payload).toMatchObject({ band: 'LOW' });
    expect(changes[3].payload).toEqual({ r: 5, f: 5, m: 4, rfmSegment: 'Champions' });
    expect(state.memberships).toEqual(['seg-gold-salaried', 'tag:GOLD_CLIENT', 'tag:SALARIED']);
    expect(state.facts.tags).toEqual(['GOLD_CLIENT', 'PAYROLL', 'SALARIED']);
    expect(state).toMatchObject({ profileVersion: 1, asOf: '2026-12-01T09:00:00+08:00', tier: { tier: 'GOLD' } });
  });

  it('re-evaluating a state with its own features at its own instant announces nothing', () => {
    fc.assert(
      fc.property(
        fc.record({
          aumMinor: fc.integer({ min: 0, max: 10_000_000 * CNY }),
          txnCount90d: fc.integer({ min: 0, max: 60 }),
          txnAmount90dMinor: fc.integer({ min: 0, max: 1_000_000 * CNY }),
          idleDays: fc.integer({ min: 0, max: 400 }),
          payroll: fc.boolean(),
          held: fc.integer({ min: 0, max: 3 }),
        }),
        fc.integer({ min: 0, max: 60 }),
        ({ aumMinor, txnCount90d, txnAmount90dMinor, idleDays, payroll, held }, laterDays) => {
          const last = new Date(Date.parse('2026-12-01T01:00:00Z') - idleDays * 86_400_000).toISOString();
          const f = features({ aumMinor, txnCount90d, txnAmount90dMinor, lastTransactionAt: last, lastActivityAt: last, tags: payroll ? ['PAYROLL'] : [], productsHeld: (['DEPOSIT_CURRENT', 'FUND', 'MORTGAGE'] as const).slice(0, held) });
          const at = new Date(Date.parse('2026-12-01T01:00:00Z') + laterDays * 86_400_000).toISOString();
          const first = evaluateCustomer(undefined, f, at, 3, membership, numbers);
          const again = evaluateCustomer(first.state, f, at, 3, membership, numbers);
          expect(again.changes).toEqual([]);
          expect(again.state).toEqual(first.state);
        },
      ),
    );
  });

  it('time alone moves a silent customer: ACTIVE at 89 days, AT_RISK at 90, DORMANT at 180 (no new snapshot)', () => {
    const f = features({ lastTransactionAt: '2026-01-01T10:00:00Z', lastActivityAt: '2026-12-01T00:00:00Z', txnCount30d: 0, txnCount90d: 0, txnCountPrior60d: 0, txnAmount90dMinor: 0, txnAmount30dMinor: 0, aumPeak90dMinor: 600_000 * CNY });
    const day = (n: number) => new Date(Date.parse('2026-01-01T10:00:00Z') + n * 86_400_000).toISOString();
    let state = evaluateCustomer(undefined, f, day(89), 1, membership, numbers).state;
    expect(state.facts.lifecycleStage).toBe('ACTIVE');
    const at90 = evaluateCustomer(state, f, day(90), 1, membership, numbers);
    expect(at90.changes.find((c) => c.type === 'LifecycleStageChanged')?.payload).toMatchObject({ from: 'ACTIVE', to: 'AT_RISK' });
    state = evaluateCustomer(at90.state, f, day(179), 1, membership, numbers).state;
    expect(state.facts.lifecycleStage).toBe('AT_RISK');
    const at180 = evaluateCustomer(state, f, day(180), 1, membership, numbers);
    expect(at180.changes.find((c) => c.type === 'LifecycleStageChanged')?.payload).toMatchObject({ from: 'AT_RISK', to: 'DORMANT' });
  });

  it('a snapshot older than the last evaluation is evaluated at the later instant: time never runs backwards', () => {
    const swept = evaluateCustomer(undefined, features({ lastTransactionAt: '2026-06-01T00:00:00Z' }), '2026-12-01T00:00:00Z', 4, membership, numbers);
    expect(swept.state.facts.lifecycleStage).toBe('DORMANT');
    const stale = evaluateCustomer(swept.state, features({ lastTransactionAt: '2026-06-01T00:00:00Z', asOf: '2026-06-02T00:00:00Z' }), '2026-06-02T00:00:00Z', 5, membership, numbers);
    expect(stale.state.asOf).toBe('2026-12-01T00:00:00Z');
    expect(stale.changes.filter((c) => c.type === 'LifecycleStageChanged')).toEqual([]);
    expect(stale.state.profileVersion).toBe(5);
  });

  it('a tier downgrade waits out the grace, and the memberships that depend on the tier move with it', () => {
    const rich = evaluateCustomer(undefined, features(), '2026-11-01T00:00:00Z', 1, membership, numbers).state;
    const poorer = features({ aumMinor: 400_000 * CNY });
    const day29 = evaluateCustomer(rich, poorer, '2026-11-01T00:00:00Z', 2, membership, numbers);
    const later = evaluateCustomer(day29.state, poorer, '2026-11-30T00:00:00Z', 2, membership, numbers);
    expect(later.changes.filter((c) => c.type === 'TierChanged')).toEqual([]);
    const day30 = evaluateCustomer(later.state, poorer, '2026-12-01T00:00:00Z', 2, membership, numbers);
    expect(day30.changes.map((c) => [c.type, c.payload])).toEqual(
      expect.arrayContaining([
        ['TierChanged', expect.objectContaining({ from: 'GOLD', to: 'SILVER' })],
        ['SegmentMembershipChanged', { segmentId: 'seg-gold-salaried', change: 'EXITED' }],
        ['SegmentMembershipChanged', { segmentId: 'tag:GOLD_CLIENT', change: 'EXITED' }],
      ]),
    );
  });


  it('values the customer (CLV) when the snapshot has balances by product type, and says so with the RFM scores', () => {
    const { state, changes } = evaluateCustomer(undefined, features({ balancesByType: { DEPOSIT_CURRENT: 100_000 * CNY, WEALTH: 500_000 * CNY }, fees90dMinor: 500 * CNY }), '2026-12-01T09:00:00+08:00', 1, membership, numbers);
    // DOMAIN.md: m = 100,000 × 1.5 % + 500,000 × 0.6 % + 500 × 4 = 6,500 CNY a year; CLV = m × r / (1 + 8 % − r).
    const r = Math.min(0.98, Math.max(0.05, 1 - state.facts.churnScore));
    expect(state.facts.clvMinor).toBeCloseTo((6_500 * CNY * r) / (1.08 - r), -1);
    expect(changes.find((c) => c.type === 'RfmScored')?.payload).toMatchObject({ clvMinor: state.facts.clvMinor });
    expect(evaluateCustomer(undefined, features(), '2026-12-01T09:00:00+08:00', 1, membership, numbers).state.facts).not.toHaveProperty('clvMinor');
  });
});

describe('membershipChanges', () => {
  it('exits first, then entries, each once', () => {
    expect(membershipChanges(['a', 'b'], ['b', 'c']).map((c) => c.payload)).toEqual([
      { segmentId: 'a', change: 'EXITED' },
      { segmentId: 'c', change: 'ENTERED' },
    ]);
    expect(membershipChanges(['a'], ['a'])).toEqual([]);
  });
});

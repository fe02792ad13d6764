import fc from 'fast-check';
import type { ProfileFeatures } from '@meridian/events';
import { DEFAULT_CHURN_MODEL } from './churn-risk';
import { StoredCustomer, addCounters, derivedContribution } from './derived-contribution';
import { evaluateCustomer } from './evaluate-customer';
import { nextDueAt } from './next-due';
import { segmentEffects } from './segment-effects';
import { CompiledRule, CustomerSegmentState, EvaluationRules, MembershipRules } from './segment-state';
import { DEFAULT_SEGMENTATION_RULES } from './segmentation-rules';
import { sampleFeatures } from '../testing/sample-features';

const numbers: EvaluationRules = { rules: DEFAULT_SEGMENTATION_RULES, churnModel: DEFAULT_CHURN_MODEL, rfmBreakpoints: DEFAULT_SEGMENTATION_RULES };
const CNY = 100;
const rule = (id: string, matches: CompiledRule['matches']): CompiledRule => ({ id, matches });
const membership: MembershipRules = {
  tags: [rule('tag:RICH', (f) => f.aumMinor >= 1_000_000 * CNY), rule('tag:SALARIED', (f) => f.tags.includes('PAYROLL'))],
  segments: [rule('seg-gold', (f) => f.tier === 'GOLD'), rule('seg-salaried-rich', (f) => f.tags.includes('SALARIED') && f.tags.includes('RICH'))],
};

const features = (over: Partial<ProfileFeatures>) => sampleFeatures({ branchId: 'BR1', ...over });

const evaluated = (previous: CustomerSegmentState | undefined, f: ProfileFeatures, version: number) => evaluateCustomer(previous, f, f.asOf as string, version, membership, numbers).state;
const active = (id: string, rev: number, state: CustomerSegmentState): StoredCustomer => ({ _id: id, rev, status: 'ACTIVE', ...state });

describe('derivedContribution', () => {
  it('counts an ACTIVE customer once by tier, stage and branch, with its products, memberships and next due instant, at its rev', () => {
    const state = evaluated(undefined, features({ tags: ['PAYROLL'] }), 1);
    const c = derivedContribution(active('C1', 7, state), numbers);
    expect(c).toMatchObject({ customerId: 'C1', rev: 7, memberships: ['seg-gold', 'tag:SALARIED'] });
    expect(c.counters).toMatchObject({ 'n|tier|GOLD|BR1': 1, 'aum|tier|GOLD|BR1': 600_000 * CNY, 'n|branch|BR1': 1, 'hold|GOLD|DEPOSIT_CURRENT': 1, 'hold|GOLD|WEALTH': 1, 'size|seg-gold': 1, 'size|tag:SALARIED': 1 });
    expect(c.counters[`n|stage|${state.facts.lifecycleStage}|BR1`]).toBe(1);
    expect(c.counters['size|tag:RICH']).toBeUndefined();
    expect(c.dueAt).toBe(nextDueAt(state, numbers));
    expect(Date.parse(c.dueAt as string)).toBeGreaterThan(Date.parse(state.asOf));
  });

  it('a customer time can no longer move has no due instant', () => {
    // Idle long past every clock (DORMANT, churn at its cap), no first product: nothing left to run out.
    const state = evaluated(undefined, features({ firstProductAt: undefined, lastTransactionAt: '2020-01-01T00:00:00Z', lastActivityAt: '2020-01-01T00:00:00Z' }), 1);
    expect(derivedContribution(active('C2', 1, state), numbers).dueAt).toBeUndefined();
  });

  it.each(['MERGED', 'ERASED'] as const)('a %s tombstone contributes nothing but its rev', (status) => {
    expect(derivedContribution({ _id: 'C3', rev: 4, status }, numbers)).toEqual({ customerId: 'C3', rev: 4, counters: {}, memberships: [] });
  });

  it('rebuilt from the stored states, the totals and member sets equal those the stream kept by applying every write’s effects', () => {
    const step = fc.oneof(
      fc.record({ aum: fc.integer({ min: 0, max: 2_000_000 }), payroll: fc.boolean(), branch: fc.constantFrom('BR1', 'BR2', undefined), held: fc.integer({ min: 0, max: 2 }) }),
      fc.constant('ERASED' as const),
    );
    fc.assert(
      fc.property(fc.array(fc.array(step, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 6 }), (customers) => {
        const streamed: Record<string, number> = {};
        const streamedMembers = new Map<string, Set<string>>();
        const rebuilt: Record<string, number> = {};
        const rebuiltMembers = new Map<string, Set<string>>();
        customers.forEach((history, i) => {
          const id = `C${i}`;
          let stored: StoredCustomer | undefined;
          history.forEach((s, version) => {
            const before = stored?.status === 'ACTIVE' ? stored : undefined;
            const rev = (stored?.rev ?? 0) + 1;
            if (s === 'ERASED') stored = { _id: id, rev, status: 'ERASED' };
            else {
              const f = features({ aumMinor: s.aum * CNY, tags: s.payroll ? ['PAYROLL'] : [], branchId: s.branch, productsHeld: (['DEPOSIT_CURRENT', 'FUND'] as const).slice(0, s.held) });
              stored = active(id, rev, evaluated(before, f, version + 1));
            }
            const effects = segmentEffects(`${id}:${rev}`, before, stored.status === 'ACTIVE' ? stored : undefined);
            addCounters(streamed, effects.counters);
            for (const m of effects.joined) streamedMembers.set(m, new Set([...(streamedMembers.get(m) ?? []), id]));
            for (const m of effects.left) streamedMembers.get(m)?.delete(id);
          });
          const c = derivedContribution(stored as StoredCustomer, numbers);
          expect(c.rev).toBe(history.length);
          addCounters(rebuilt, c.counters);
          for (const m of c.memberships) rebuiltMembers.set(m, new Set([...(rebuiltMembers.get(m) ?? []), id]));
        });
        const nonZero = (t: Record<string, number>) => Object.fromEntries(Object.entries(t).filter(([, v]) => v !== 0));
        const nonEmpty = (m: Map<string, Set<string>>) => Object.fromEntries([...m].filter(([, s]) => s.size).map(([k, s]) => [k, [...s].sort()]));
        expect(nonZero(rebuilt)).toEqual(nonZero(streamed));
        expect(nonEmpty(rebuiltMembers)).toEqual(nonEmpty(streamedMembers));
      }),
    );
  });
});

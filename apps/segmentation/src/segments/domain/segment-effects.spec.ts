import fc from 'fast-check';
import type { ProductType } from '@meridian/events';
import { countersOf, counterDeltas, segmentEffects } from './segment-effects';
import { CustomerSegmentState } from './segment-state';

function state(over: { tier: 'GOLD' | 'MASS'; stage: 'ACTIVE' | 'DORMANT'; branch?: string; aum: number; clv?: number; products: ProductType[]; memberships: string[] }): CustomerSegmentState {
  return {
    profileVersion: 1,
    asOf: '2026-12-01T00:00:00Z',
    features: { aumMinor: over.aum, productsHeld: over.products, txnCount30d: 0, txnCount90d: 0, txnAmount30dMinor: 0, txnAmount90dMinor: 0, tags: [], ...(over.branch && { branchId: over.branch }) },
    tier: { tier: over.tier },
    facts: { aumMinor: over.aum, productsHeld: over.products, txnCount30d: 0, txnCount90d: 0, txnAmount30dMinor: 0, txnAmount90dMinor: 0, tags: [], tier: over.tier, lifecycleStage: over.stage, churnScore: 0.1, churnBand: 'LOW', rfm: { r: 1, f: 1, m: 1, segment: 'Lost' }, ...(over.clv !== undefined && { clvMinor: over.clv }) },
    memberships: over.memberships,
  };
}

const states = fc
  .record({
    tier: fc.constantFrom('GOLD' as const, 'MASS' as const),
    stage: fc.constantFrom('ACTIVE' as const, 'DORMANT' as const),
    branch: fc.option(fc.constantFrom('BR1', 'BR2'), { nil: undefined }),
    aum: fc.integer({ min: 0, max: 1e12 }),
    clv: fc.option(fc.integer({ min: 0, max: 1e9 }), { nil: undefined }),
    products: fc.subarray(['DEPOSIT_CURRENT', 'FUND', 'MORTGAGE'] as ProductType[]),
    memberships: fc.subarray(['tag:A', 'tag:B', 'seg-1']),
  })
  .map(state);

describe('segment effects', () => {
  it('the deltas of a customer’s every change add up to counting where they ended (or nothing, once gone)', () => {
    fc.assert(
      fc.property(fc.array(fc.option(states, { nil: undefined }), { minLength: 1, maxLength: 8 }), (history) => {
        const totals: Record<string, number> = {};
        let before: CustomerSegmentState | undefined;
        for (const after of history) {
          for (const [k, v] of Object.entries(counterDeltas(before, after))) totals[k] = (totals[k] ?? 0) + v;
          before = after;
        }
        const last = history[history.length - 1];
        const expected = last ? countersOf(last) : {};
        expect(Object.fromEntries(Object.entries(totals).filter(([, v]) => v !== 0))).toEqual(Object.fromEntries(Object.entries(expected).filter(([, v]) => v !== 0)));
      }),
    );
  });

  it('names the segments joined and left, and counts a customer by tier, stage, branch and the products their tier holds', () => {
    const gold = state({ tier: 'GOLD', stage: 'ACTIVE', branch: 'BR1', aum: 600_000_00, clv: 4_000_00, products: ['FUND'], memberships: ['tag:A', 'seg-1'] });
    const mass = state({ tier: 'MASS', stage: 'ACTIVE', branch: 'BR1', aum: 10_000_00, products: ['FUND'], memberships: ['tag:A', 'tag:B'] });
    const effects = segmentEffects('C1:2', gold, mass);
    expect(effects).toMatchObject({ key: 'C1:2', joined: ['tag:B'], left: ['seg-1'] });
    expect(effects.counters).toEqual({
      'n|tier|MASS|BR1': 1, 'aum|tier|MASS|BR1': 10_000_00, 'n|tier|GOLD|BR1': -1, 'aum|tier|GOLD|BR1': -600_000_00,
      'aum|stage|ACTIVE|BR1': 10_000_00 - 600_000_00, 'aum|branch|BR1': 10_000_00 - 600_000_00, 'clv|branch|BR1': -4_000_00,
      'hold|MASS|FUND': 1, 'hold|GOLD|FUND': -1, 'size|tag:B': 1, 'size|seg-1': -1,
    });
  });
});

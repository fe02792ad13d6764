import fc from 'fast-check';
import { TIERS } from '@meridian/events';
import { tierDistribution } from './tier-distribution';

const rowOf = (d: ReturnType<typeof tierDistribution>, tier: string) => d.rows.find((r) => r.value === tier)!;

describe('tierDistribution (counters n|tier|<TIER>|<branch>, aum|tier|…)', () => {
  it('empty counters: every tier listed, all zero, shares 0', () => {
    const d = tierDistribution({});
    expect(d).toEqual({ customers: 0, aumMinor: 0, rows: TIERS.map((value) => ({ value, customers: 0, aumMinor: 0, share: 0, byBranch: [] })) });
  });

  it('one tier only holds everyone: share 1, the others 0', () => {
    const d = tierDistribution({ 'n|tier|GOLD|B1': 3, 'aum|tier|GOLD|B1': 900, 'n|tier|GOLD|B2': 1, 'aum|tier|GOLD|B2': 100 });
    expect(rowOf(d, 'GOLD')).toEqual({ value: 'GOLD', customers: 4, aumMinor: 1000, share: 1, byBranch: [{ branchId: 'B1', customers: 3, aumMinor: 900 }, { branchId: 'B2', customers: 1, aumMinor: 100 }] });
    expect(d.rows.filter((r) => r.value !== 'GOLD').every((r) => r.customers === 0 && r.share === 0)).toBe(true);
    expect(d).toMatchObject({ customers: 4, aumMinor: 1000 });
  });

  it('a tier whose counters went back to zero is listed with no branches', () => {
    const d = tierDistribution({ 'n|tier|SILVER|B1': 0, 'aum|tier|SILVER|B1': 0, 'n|tier|MASS|B1': 2, 'aum|tier|MASS|B1': 10 });
    expect(rowOf(d, 'SILVER')).toEqual({ value: 'SILVER', customers: 0, aumMinor: 0, share: 0, byBranch: [] });
    expect(rowOf(d, 'MASS').share).toBe(1);
  });

  it('within one branch: only its counters, shares of that branch; the unknown branch is `-`', () => {
    const counters = { 'n|tier|GOLD|B1': 1, 'aum|tier|GOLD|B1': 50, 'n|tier|MASS|B1': 3, 'n|tier|MASS|-': 5, 'aum|tier|MASS|-': 7 };
    const b1 = tierDistribution(counters, { branchId: 'B1' });
    expect(b1).toMatchObject({ customers: 4, aumMinor: 50 });
    expect(rowOf(b1, 'GOLD').share).toBe(0.25);
    expect(rowOf(tierDistribution(counters, { branchId: '-' }), 'MASS')).toMatchObject({ customers: 5, aumMinor: 7, share: 1 });
    expect(tierDistribution(counters, { branchId: 'B9' }).customers).toBe(0);
  });

  it('ignores other counters (stages, branches, holdings, segment sizes) and unknown tiers', () => {
    const d = tierDistribution({ 'n|stage|ACTIVE|B1': 4, 'n|branch|B1': 4, 'hold|GOLD|WEALTH': 4, 'size|s1': 4, 'n|tier|PLATINUM|B1': 9 });
    expect(d.customers).toBe(0);
  });

  it('shares sum to 1 and totals are the sums of the rows and of their branches', () => {
    const key = fc.tuple(fc.constantFrom(...TIERS), fc.constantFrom('B1', 'B2', '-'));
    fc.assert(
      fc.property(fc.array(fc.tuple(key, fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 1e9 }))), (cells) => {
        const counters: Record<string, number> = {};
        for (const [[tier, branch], n, aum] of cells) {
          counters[`n|tier|${tier}|${branch}`] = (counters[`n|tier|${tier}|${branch}`] ?? 0) + n;
          counters[`aum|tier|${tier}|${branch}`] = (counters[`aum|tier|${tier}|${branch}`] ?? 0) + (n ? aum : 0);
        }
        const d = tierDistribution(counters);
        const shares = d.rows.reduce((s, r) => s + r.share, 0);
        expect(d.customers ? Math.abs(shares - 1) < 1e-9 : shares === 0).toBe(true);
        for (const r of d.rows) expect(r.byBranch.reduce((s, b) => s + b.customers, 0)).toBe(r.customers);
        expect(d.rows.reduce((s, r) => s + r.aumMinor, 0)).toBe(d.aumMinor);
      }),
    );
  });
});

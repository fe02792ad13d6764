import { valueByBranch } from './value-by-branch';

describe('valueByBranch (counters n|branch|<b>, aum|branch|<b>, clv|branch|<b>)', () => {
  it('empty counters: no branches, zero totals and averages', () => {
    expect(valueByBranch({})).toEqual({ customers: 0, aumMinor: 0, clvMinor: 0, averageAumMinor: 0, averageClvMinor: 0, branches: [] });
  });

  it('per branch and in total: customers, AUM, CLV and their averages (rounded), by branchId', () => {
    const counters = { 'n|branch|B2': 3, 'aum|branch|B2': 1000, 'clv|branch|B2': 10, 'n|branch|B1': 1, 'aum|branch|B1': 5, 'clv|branch|B1': 0, 'n|tier|GOLD|B1': 1, 'aum|tier|GOLD|B1': 5 };
    expect(valueByBranch(counters)).toEqual({
      customers: 4, aumMinor: 1005, clvMinor: 10, averageAumMinor: 251, averageClvMinor: 3,
      branches: [
        { branchId: 'B1', customers: 1, aumMinor: 5, clvMinor: 0, averageAumMinor: 5, averageClvMinor: 0 },
        { branchId: 'B2', customers: 3, aumMinor: 1000, clvMinor: 10, averageAumMinor: 333, averageClvMinor: 3 },
      ],
    });
  });

  it('a branch whose customers all left is not listed; one branch alone when asked', () => {
    const counters = { 'n|branch|B1': 0, 'aum|branch|B1': 0, 'clv|branch|B1': 0, 'n|branch|-': 2, 'aum|branch|-': 4, 'clv|branch|-': 6 };
    expect(valueByBranch(counters).branches.map((b) => b.branchId)).toEqual(['-']);
    expect(valueByBranch(counters, { branchId: 'B1' })).toMatchObject({ customers: 0, branches: [] });
    expect(valueByBranch(counters, { branchId: '-' })).toMatchObject({ customers: 2, averageAumMinor: 2, averageClvMinor: 3 });
  });
});

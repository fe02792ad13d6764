import { Counters, sum } from './distribution';

export interface BranchValue {
  branchId: string;
  customers: number;
  aumMinor: number;
  clvMinor: number;
  /** Per customer, rounded to whole minor units. */
  averageAumMinor: number;
  averageClvMinor: number;
}

export interface ValueByBranch {
  customers: number;
  aumMinor: number;
  clvMinor: number;
  averageAumMinor: number;
  averageClvMinor: number;
  branches: BranchValue[];
}

const MEASURES = { n: 'customers', aum: 'aumMinor', clv: 'clvMinor' } as const;

const averages = <T extends { customers: number; aumMinor: number; clvMinor: number }>(t: T) => ({
  ...t,
  averageAumMinor: t.customers ? Math.round(t.aumMinor / t.customers) : 0,
  averageClvMinor: t.customers ? Math.round(t.clvMinor / t.customers) : 0,
});

/** AUM and CLV by branch (DOMAIN.md: 区域客户价值分布), from `n|branch|<b>`, `aum|branch|<b>`, `clv|branch|<b>`; branches without customers left out. */
export function valueByBranch(counters: Counters, scope: { branchId?: string } = {}): ValueByBranch {
  const branches = new Map<string, { branchId: string; customers: number; aumMinor: number; clvMinor: number }>();
  for (const [key, amount] of Object.entries(counters)) {
    const [measure, dimension, branchId, ...rest] = key.split('|');
    if (dimension !== 'branch' || rest.length || !(measure in MEASURES) || branchId === undefined) continue;
    if (scope.branchId !== undefined && branchId !== scope.branchId) continue;
    const row = branches.get(branchId) ?? { branchId, customers: 0, aumMinor: 0, clvMinor: 0 };
    row[MEASURES[measure as keyof typeof MEASURES]] += amount;
    branches.set(branchId, row);
  }
  const rows = [...branches.values()].filter((b) => b.customers > 0).sort((a, b) => (a.branchId < b.branchId ? -1 : 1)).map(averages);
  return { ...averages({ customers: sum(rows, 'customers'), aumMinor: sum(rows, 'aumMinor'), clvMinor: sum(rows, 'clvMinor') }), branches: rows };
}

/** The counters kept as changes happen (segments/domain/segment-effects.ts), as HGETALL answers them. */
export type Counters = Readonly<Record<string, number>>;

/** segment-effects.ts writes `-` for a customer whose branch is unknown. */
export const UNKNOWN_BRANCH = '-';

export interface BranchShare {
  branchId: string;
  customers: number;
  aumMinor: number;
}

export interface DistributionRow<V extends string> {
  value: V;
  customers: number;
  aumMinor: number;
  /** Of all customers counted (0 when there are none). */
  share: number;
  /** Per branch with customers in this row, by branchId. */
  byBranch: BranchShare[];
}

export interface Distribution<V extends string> {
  customers: number;
  aumMinor: number;
  rows: DistributionRow<V>[];
}

/** `n|<dimension>|<value>|<branch>` or `aum|…`: what a key counts, or undefined for another kind of key. */
function parse(key: string, dimension: string): { measure: 'n' | 'aum'; value: string; branchId: string } | undefined {
  const parts = key.split('|');
  if (parts.length !== 4 || parts[1] !== dimension || (parts[0] !== 'n' && parts[0] !== 'aum')) return undefined;
  return { measure: parts[0], value: parts[2], branchId: parts[3] };
}

/**
 * Customers and AUM by one dimension's values (tier, lifecycle stage), optionally within one
 * branch: every value listed in the given order, with none counted as zeros; a value the
 * counters hold but the list does not (an older enum) is left out.
 */
export function distributionOf<V extends string>(counters: Counters, dimension: string, values: readonly V[], branchId?: string): Distribution<V> {
  const cells = new Map<string, Map<string, BranchShare>>(values.map((v) => [v, new Map()]));
  for (const [key, amount] of Object.entries(counters)) {
    const cell = parse(key, dimension);
    if (!cell || !amount || (branchId !== undefined && cell.branchId !== branchId)) continue;
    const branches = cells.get(cell.value);
    if (!branches) continue;
    const share = branches.get(cell.branchId) ?? { branchId: cell.branchId, customers: 0, aumMinor: 0 };
    if (cell.measure === 'n') share.customers += amount;
    else share.aumMinor += amount;
    branches.set(cell.branchId, share);
  }
  const rows = values.map((value) => {
    const byBranch = [...(cells.get(value)?.values() ?? [])].filter((b) => b.customers > 0).sort((a, b) => (a.branchId < b.branchId ? -1 : 1));
    return { value, customers: sum(byBranch, 'customers'), aumMinor: sum(byBranch, 'aumMinor'), share: 0, byBranch };
  });
  const customers = sum(rows, 'customers');
  for (const row of rows) row.share = customers ? row.customers / customers : 0;
  return { customers, aumMinor: sum(rows, 'aumMinor'), rows };
}

export function sum<K extends string>(items: ReadonlyArray<Record<K, number>>, field: K): number {
  return items.reduce((total, item) => total + item[field], 0);
}

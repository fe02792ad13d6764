/** FNV-1a, 32 bits: a stable, seedable order that does not depend on the file's. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

export interface SplitRow {
  customerId: string;
  asOf: string;
  churned: boolean;
}

/**
 * Train and held-out test sets with the same churn rate: within each class, rows are
 * ordered by a hash of (seed, customer, asOf) and the first `testShare` of them are held
 * out, at least one and never all. The same file and seed give the same split, whatever
 * the order of its lines. Refuses a class with fewer than two rows (AUC needs both in test).
 */
export function stratifiedSplit<T extends SplitRow>(rows: readonly T[], testShare: number, seed: string): { train: T[]; test: T[] } {
  if (!(testShare > 0 && testShare < 1)) throw new Error(`the held-out share must be between 0 and 1, got ${testShare}`);
  const train: T[] = [];
  const test: T[] = [];
  for (const churned of [true, false]) {
    const keyed = rows.filter((r) => r.churned === churned).map((row) => ({ row, key: `${row.customerId}\u0000${row.asOf}` }));
    if (keyed.length < 2) throw new Error(`a split needs at least two ${churned ? 'churned' : 'stayed'} rows, got ${keyed.length}`);
    keyed.sort((a, b) => fnv1a(`${seed}\u0000${a.key}`) - fnv1a(`${seed}\u0000${b.key}`) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const held = Math.min(keyed.length - 1, Math.max(1, Math.round(keyed.length * testShare)));
    keyed.forEach(({ row }, i) => (i < held ? test : train).push(row));
  }
  return { train, test };
}

/**
 * The timeline index is a tree of key ranges two levels deep (ADR 0007): a customer's root
 * lists its pages, a page lists its buckets, a bucket holds timeline keys. Every node is
 * named by its lower bound (`from`) and covers the keys from there up to its next newer
 * sibling's bound; lists are sorted newest first and the oldest bound is '' (everything).
 * A node holds at most `cap` entries: one that would hold more is split into sorted
 * chunks, so no document grows with a customer's volume and a page of the timeline reads
 * a bounded number of them.
 */
export interface RangeNode {
  from: string;
  /** Newest first. */
  entries: string[];
}

/** Whether an entry falls in the range [from, end) (no `end`: the newest range, open above). */
export function inRange(entry: string, from: string, end: string | undefined): boolean {
  return entry >= from && (end === undefined || entry < end);
}

/** The bound of the range that holds a key: the first of `froms` (newest first) at or below it. */
export function rangeHolding(froms: readonly string[], key: string): string {
  return froms.find((from) => from <= key) ?? '';
}

/** The exclusive upper bound of the range starting at `from`: its next newer sibling's bound; undefined for the newest. */
export function rangeEnd(froms: readonly string[], from: string): string | undefined {
  const i = froms.indexOf(from);
  return i > 0 ? froms[i - 1] : undefined;
}

/**
 * A node's entries with some added, kept to its range (entries left outside by an earlier
 * split cut short are dropped) and split into nodes of at most `cap` entries, newest
 * first, of equal size: the oldest keeps the node's bound, each newer one is named by its
 * oldest entry.
 */
export function fillRange(from: string, end: string | undefined, entries: readonly string[], added: readonly string[], cap: number): RangeNode[] {
  const all = [...new Set([...entries, ...added])].filter((e) => inRange(e, from, end)).sort();
  const parts = Math.max(1, Math.ceil(all.length / cap));
  const size = Math.ceil(all.length / parts);
  const nodes: RangeNode[] = [];
  for (let p = 0; p < parts; p++) {
    const chunk = all.slice(p * size, (p + 1) * size);
    nodes.push({ from: p === 0 ? from : chunk[0], entries: chunk.reverse() });
  }
  return nodes.reverse();
}

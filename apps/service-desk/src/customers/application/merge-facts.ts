// Pure, and kept beside the use cases: it folds with libs/shared's membership rule, which domain/ may not import (STYLE.md rule 1).
import { mergeMembership, unmergeMembership } from '@meridian/shared';

/**
 * Who a customer is at the desk after identity merges (crm.governance.v1): the customers merged
 * into them (`mergedFrom`), or the one they were merged into (`mergedInto`, a pointer that keeps
 * its own members so an unmerge gives them back), and the merges and unmerges already folded.
 */
export interface MergeFact {
  customerId: string;
  mergedFrom: string[];
  mergedInto?: string;
  /** `merge:<mergeId>` and `unmerge:<mergeId>` folded into this survivor, the newest kept. */
  folded: string[];
}

/** Folded keys a survivor keeps: a redelivery comes within a batch or two, never hundreds of merges later. */
export const FOLDED_KEPT = 100;

export const noMerges = (customerId: string): MergeFact => ({ customerId, mergedFrom: [], folded: [] });

const members = (holds: Map<string, Set<string>>, id: string) => [...(holds.get(id) ?? [])].filter((m) => m !== id).sort();
const remember = (folded: readonly string[], key: string) => [...folded, key].slice(-FOLDED_KEPT);

/**
 * IdentityMerged: the survivor holds the merged customer and everyone it held; the merged one
 * points at the survivor. Answers the facts to write, the merged customer's first (the
 * survivor's, written last, records the fold: a crash between them folds it again, to the same
 * result); none when this merge was folded already.
 */
export function foldMerge(survivor: MergeFact, merged: MergeFact, mergeId: string): MergeFact[] {
  const key = `merge:${mergeId}`;
  if (survivor.folded.includes(key)) return [];
  const m = mergeMembership({ id: survivor.customerId, mergedFrom: survivor.mergedFrom }, { id: merged.customerId, mergedFrom: merged.mergedFrom });
  return [
    { customerId: merged.customerId, mergedFrom: m.pointerMergedFrom, mergedInto: survivor.customerId, folded: merged.folded },
    { ...survivor, mergedFrom: members(m.holds, survivor.customerId), folded: remember(survivor.folded, key) },
  ];
}

/** IdentityUnmerged: the restored customer takes back what it brought and stands alone again; the survivor keeps the rest. */
export function foldUnmerge(survivor: MergeFact, restored: MergeFact, mergeId: string): MergeFact[] {
  const key = `unmerge:${mergeId}`;
  if (survivor.folded.includes(key)) return [];
  const u = unmergeMembership({ id: survivor.customerId, mergedFrom: survivor.mergedFrom }, { id: restored.customerId, mergedFrom: restored.mergedFrom });
  const { mergedInto: _pointer, ...alone } = restored;
  return [
    { ...alone, mergedFrom: members(u.holds, restored.customerId) },
    { ...survivor, mergedFrom: members(u.holds, survivor.customerId), folded: remember(survivor.folded, key) },
  ];
}

/** Pointers followed at most: a chain longer than this is a loop, and the last customer reached stands. */
export const MAX_MERGE_HOPS = 8;

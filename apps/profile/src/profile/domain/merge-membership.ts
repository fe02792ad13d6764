/** A profile as membership sees it: its id and the customers merged into it. */
export interface MemberHolder {
  id: string;
  mergedFrom?: readonly string[];
}

/**
 * Whose logged events each rebuilt profile folds (ADR 0007: each event belongs to one
 * customer, so nothing is counted twice), the survivor first, and every customer whose
 * events the rebuild has to read.
 */
export interface Membership {
  holds: Map<string, Set<string>>;
  readsEventsOf: string[];
}

function membersOf(holder: MemberHolder): Set<string> {
  return new Set([holder.id, ...(holder.mergedFrom ?? [])]);
}

/** Does this profile fold events stamped with `customerId` (its own, or a merged customer's)? */
export function holdsEventsOf(holder: MemberHolder, customerId: string): boolean {
  return customerId === holder.id || (holder.mergedFrom ?? []).includes(customerId);
}

/**
 * IdentityMerged: the survivor holds its members and the merged customer's (and everyone
 * already merged into that one); the merged customer becomes a pointer that remembers its
 * own members, so that an unmerge can release them together.
 */
export function mergeMembership(survivor: MemberHolder, merged: MemberHolder): Membership & { pointerMergedFrom: string[] } {
  const mergedMembers = membersOf(merged);
  const survivorMembers = new Set([...membersOf(survivor), ...mergedMembers]);
  return {
    holds: new Map([[survivor.id, survivorMembers]]),
    readsEventsOf: [...survivorMembers],
    pointerMergedFrom: [...mergedMembers].filter((m) => m !== merged.id).sort(),
  };
}

/** IdentityUnmerged: the restored customer takes back its members; the holder keeps the rest. */
export function unmergeMembership(holder: MemberHolder, restored: MemberHolder): Membership {
  const restoredMembers = membersOf(restored);
  const holderMembers = new Set([...membersOf(holder)].filter((m) => !restoredMembers.has(m)));
  return {
    holds: new Map([
      [holder.id, holderMembers],
      [restored.id, restoredMembers],
    ]),
    readsEventsOf: [...new Set([...holderMembers, ...restoredMembers])],
  };
}

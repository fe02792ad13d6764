/** What a merge-chain walk needs of a profile: whether it is a pointer, and where to. */
export interface MergePointer {
  status: string;
  mergedInto?: string;
}

/** ADR 0007: merges of one chain may arrive out of order; a chain longer than this is refused. */
export const MAX_MERGE_CHAIN = 10;

/**
 * Where a customer's events go: the end of the chain of MERGED pointers from it (itself
 * when it is not merged). `complete` is false when the chain is longer than
 * MAX_MERGE_CHAIN; a pointer back to the start ends it. `read` answers the profile of an
 * id (the caller decides whether from the cache or the database): the walk does no I/O.
 */
export async function mergeChainEnd(customerId: string, read: (id: string) => Promise<MergePointer | undefined>): Promise<{ id: string; complete: boolean }> {
  let id = customerId;
  for (let hop = 0; hop < MAX_MERGE_CHAIN; hop++) {
    const doc = await read(id);
    if (doc?.status !== 'MERGED' || !doc.mergedInto || doc.mergedInto === customerId) return { id, complete: true };
    id = doc.mergedInto;
  }
  return { id, complete: false };
}

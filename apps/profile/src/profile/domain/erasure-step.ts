/** What an erasure still has to do to a stored profile (ADR 0007: erasure on the owner of the customer). */
export type ErasureStep<T> =
  /** Write a tombstone at this version (announcing ERASED at it), then shred. */
  | { write: 'tombstone'; version: number }
  /** The stored tombstone stands: finish what it still has to announce, and shred again (idempotent). */
  | { write: 'none'; tombstone: T };

export interface StoredProfileVersion {
  status: 'ACTIVE' | 'MERGED' | 'ERASED';
  version: number;
}

/**
 * Decided once the customer's erasure marker exists, by the erasure itself and by every
 * writer that finds the marker after its own write. A profile that is not a tombstone —
 * never written, still live, or a tombstone a concurrent fold overwrote (FerretDB's
 * conditional replace is not atomic) — gets one. So does a tombstone whose version does
 * not exceed a ProfileUpdated the caller announced: the ERASED one must come after it and
 * be the newest version, so that a consumer ends at ERASED whether it keeps the last
 * message or the highest version. Versions only grow.
 */
export function erasureStep<T extends StoredProfileVersion>(stored: T | undefined, announcedUpTo?: number): ErasureStep<T> {
  const floor = Math.max(stored?.version ?? 0, announcedUpTo ?? 0);
  if (stored?.status !== 'ERASED') return { write: 'tombstone', version: floor + 1 };
  if (announcedUpTo !== undefined && announcedUpTo >= stored.version) return { write: 'tombstone', version: floor + 1 };
  return { write: 'none', tombstone: stored };
}

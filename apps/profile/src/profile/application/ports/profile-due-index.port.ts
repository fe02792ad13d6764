/** One customer's next due instant, stamped with the profile version it was computed from. */
export interface DueEntry {
  customerId: string;
  /** The version it was computed from: an entry from an older version than the index holds is dropped. None: the customer is forgotten outright (no profile stored). */
  version?: number;
  /** When a windowed figure next changes (next-window-change.ts); none: never by time alone, or no longer live. */
  dueAt?: string;
}

/**
 * When each profile's windowed figures next change with no new event, partitioned over
 * the customer space, so the day roll reads only who is due, a partition at a time, never
 * the whole base (ADR 0005: anything but an `_id` read scans). Written after every profile
 * write — by the fold and by the roll — from the version written.
 */
export abstract class ProfileDueIndex {
  abstract readonly partitions: number;
  /** Sets, or without an instant removes, each customer's due instant, unless the index holds a newer version's. Idempotent. */
  abstract schedule(entries: readonly DueEntry[]): Promise<void>;
  /** Up to `limit` customers of a partition due at or before `asOf`, earliest first. */
  abstract due(partition: number, asOf: string, limit: number): Promise<string[]>;
}

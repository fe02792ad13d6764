/**
 * When each customer is next due for the sweep (domain/next-due.ts), partitioned over the
 * customer space, so the daily sweep reads only who is due, a partition at a time.
 */
export abstract class DueIndex {
  abstract readonly partitions: number;
  /**
   * Sets (or, with no instant, removes) each customer's next due instant, as of the state
   * write `rev` it was computed from: an entry from an older write than the one already
   * indexed is ignored (a slower run settling late). Idempotent.
   */
  abstract schedule(entries: ReadonlyArray<{ customerId: string; rev: number; dueAt?: string }>): Promise<void>;
  /** Up to `limit` customers of a partition due at or before `asOf`, earliest first. */
  abstract due(partition: number, asOf: string, limit: number): Promise<string[]>;
}

/**
 * What Redis keeps beside the accounts (written under the account's lock): how far each account's
 * entries were announced, the accounts written but not yet announced, and the due index of the
 * expiry job (each account by the instant its first lot lapses).
 */
export abstract class PointsMarks {
  /** The last entry announced (0 when none is known: a Redis that lost it makes the account announce its recent entries again, under the same eventIds). */
  abstract announced(customerId: string): Promise<number>;
  /** Before a write: the account marked unannounced, and due no later than `dueAt` (the earlier of its old and new first lapse). */
  abstract beforeWrite(customerId: string, at: Date, dueAt?: string): Promise<void>;
  /** After its entries were announced: through `seq`, unmarked, and due when its first lot lapses (none: not due). */
  abstract afterAnnounce(customerId: string, seq: number, dueAt?: string): Promise<void>;
  /** The account's marks gone (PIPL: an erased customer's). */
  abstract forget(customerId: string): Promise<void>;
  /** Accounts with a lot lapsed by `asOf`, the first due first, at most `limit`. */
  abstract dueBy(asOf: Date, limit: number): Promise<string[]>;
  /** Accounts marked unannounced since before `before` (a write whose announcement failed). */
  abstract unannouncedSince(before: Date, limit: number): Promise<string[]>;
}

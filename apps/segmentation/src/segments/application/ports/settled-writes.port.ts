/**
 * Which writes are settled — their outbox published, their due instant set, their effects
 * applied — by customer: the newest settled `rev`. A document whose `rev` is above it still
 * has work in its outbox and effects (a crash came in between); at or below, they are done
 * and only wait to be overwritten by the next write (no second write to clear them).
 */
export abstract class SettledWrites {
  abstract settledRevs(customerIds: readonly string[]): Promise<Map<string, number>>;
  abstract markSettled(writes: ReadonlyArray<{ customerId: string; rev: number }>): Promise<void>;
}

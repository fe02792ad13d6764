/** One sweep at a time across instances: a lease that lapses if its holder dies. */
export abstract class SweepLock {
  /** A token when taken, undefined when another holds it. */
  abstract acquire(): Promise<string | undefined>;
  /** Extends the lease; false when it was lost (lapsed and taken by another). */
  abstract renew(token: string): Promise<boolean>;
  abstract release(token: string): Promise<void>;
}

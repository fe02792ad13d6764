import type { Fence } from '@meridian/shared';

/** Another holder kept the account's lock longer than a caller waits: try again (HTTP 503). */
export class PointsAccountBusyError extends Error {
  constructor(readonly customerId: string) {
    super(`the points account of ${customerId} is being changed by another request: try again`);
    this.name = 'PointsAccountBusyError';
  }
}

/**
 * One writer per points account across instances: the Kafka awards, the HTTP redemptions and the
 * expiry job each change an account only holding its lock, so a read-decide-write never races
 * another (FerretDB v1's conditional writes are not atomic: ADR 0011). A lock lapses if its holder dies.
 */
export abstract class PointsLocks {
  /** Runs `work` holding the account's lock, waiting a while for it; PointsAccountBusyError when it stays taken. */
  abstract hold<T>(customerId: string, work: (fence: Fence) => Promise<T>): Promise<T>;
}

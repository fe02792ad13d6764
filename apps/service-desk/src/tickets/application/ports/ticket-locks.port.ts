/** Another holder kept the ticket's lock for longer than a caller waits: try again (HTTP 503). */
export class TicketBusyError extends Error {
  constructor(readonly ticketId: string) {
    super(`ticket ${ticketId} is being changed by another request: try again`);
    this.name = 'TicketBusyError';
  }
}

/** Renews the locks held and throws when one was lost (it lapsed and another may hold it now). */
export type Fence = () => Promise<void>;

/**
 * One writer per ticket across instances (ADR 0011): intake, the HTTP transitions and the SLA
 * jobs each change a ticket only while holding its lock, so a read-decide-write never races
 * another (FerretDB v1's conditional writes are not atomic). A lock lapses if its holder dies.
 */
export abstract class TicketLocks {
  /**
   * Runs `work` holding the ticket's lock, waiting a short while for it; TicketBusyError when it
   * stays taken. `fence` renews the lock and throws if it was lost: call it before each write.
   */
  abstract hold<T>(ticketId: string, work: (fence: Fence) => Promise<T>): Promise<T>;
  /** Runs `work` with the locks of those tickets that are free now (the others' holders settle them); the held ids are passed in. */
  abstract holdFree<T>(ticketIds: readonly string[], work: (held: string[], fence: Fence) => Promise<T>): Promise<T>;
}

import type { Fence } from '@meridian/shared';

/** Another holder kept the customer's lead locked longer than a caller waits: try again (HTTP 503). */
export class LeadBusyError extends Error {
  constructor(readonly customerId: string) {
    super(`the lead of ${customerId} is being changed by another request: try again`);
    this.name = 'LeadBusyError';
  }
}

/** One writer per customer's lead across instances (the consumers rescoring, the roster's re-assignments, the RMs' outcomes). */
export abstract class LeadLocks {
  abstract hold<T>(customerId: string, work: (fence: Fence) => Promise<T>): Promise<T>;
}

import type { ProfileFeatures } from '@meridian/events';
import type { CustomerRecord, DatedChange } from '../../domain/customer-facts';

export interface ProfileFact {
  customerId: string;
  version: number;
  status: CustomerRecord['status'];
  features: ProfileFeatures;
}

/** What campaign keeps of each customer, read by `_id` (ADR 0005). */
export abstract class CustomerRecords {
  abstract get(customerIds: readonly string[]): Promise<Map<string, CustomerRecord>>;
  /** Keeps each ProfileUpdated newer than the version kept. */
  abstract recordProfiles(facts: readonly ProfileFact[]): Promise<void>;
  /** Every customer kept, with their standing, `step` at a time (one pass over the collection: a batch audience's base rebuilt). */
  abstract eachCustomer(step: number, visit: (customers: Array<{ customerId: string; version: number; status: CustomerRecord['status'] }>) => Promise<void>): Promise<number>;
  /** Keeps each change newer than the one kept of its field. */
  abstract recordChanges(changes: readonly DatedChange[]): Promise<void>;
  /**
   * Keeps the changes, and runs `then` as soon as decisions read them — while the lasting copy
   * is still being written, where there is one; resolves with its answer once both are done
   * (a failure of either fails the whole, and the batch is applied again: both are idempotent).
   */
  async recordChangesThen<T>(changes: readonly DatedChange[], then: () => Promise<T>): Promise<T> {
    await this.recordChanges(changes);
    return then();
  }
}

import { MergeFact } from '../merge-facts';

/** The desk's merge facts, one document per customer (`customer_merges`, by `_id`); a customer never merged has none. */
export abstract class CustomerMerges {
  abstract get(customerIds: readonly string[]): Promise<Map<string, MergeFact>>;
  /** Writes these facts in order (each replaces its customer's). */
  abstract put(facts: readonly MergeFact[]): Promise<void>;
}

import type { Tier } from '@meridian/events';

/** A customer's value tier as segmentation last announced it (TierChanged), and when. */
export interface TierFact {
  customerId: string;
  tier: Tier;
  at: string;
}

/**
 * What service-desk keeps of its customers from the events it consumes (it reads no other
 * service's collections): for now the value tier, which raises a ticket's priority.
 */
export abstract class CustomerContexts {
  abstract tiers(customerIds: readonly string[]): Promise<Map<string, Tier>>;
  abstract recordTiers(facts: readonly TierFact[]): Promise<void>;
}

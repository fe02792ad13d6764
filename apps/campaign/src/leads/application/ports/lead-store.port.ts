import type { EnvelopeInit } from '@meridian/events';
import type { Lead } from '../../domain/lead';

/** A customer's lead as stored, with what its last write still has to announce (an embedded outbox). */
export interface StoredLead {
  lead: Lead;
  /** Bumped by every write; 0: not stored yet. */
  rev: number;
  pending: EnvelopeInit[];
}

/** Leads in MongoDB by `_id` = customerId (ADR 0005), written under the customer's lead lock only. */
export abstract class LeadStore {
  abstract load(customerIds: readonly string[]): Promise<Map<string, StoredLead>>;
  /** Writes over `expectedRev` (0: new); false when it was not that. */
  abstract write(stored: StoredLead, expectedRev: number): Promise<boolean>;
  /** The customer's lead gone (PIPL: an erased customer's). */
  abstract delete(customerId: string): Promise<void>;
}

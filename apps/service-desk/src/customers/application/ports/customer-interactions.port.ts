import type { InteractionChannel, InteractionKind } from '@meridian/events';

/**
 * One interaction as the agent's context view shows it (issue 11, point 7): what kind, on which
 * channel, when, and what it was about — never its free text, which is read to route a ticket
 * and not kept.
 */
export interface InteractionSeen {
  interactionId: string;
  kind: InteractionKind;
  channel: InteractionChannel;
  occurredAt: string;
  topic?: string;
  ticketId?: string;
  campaignId?: string;
}

/**
 * Each customer's newest interactions, kept from crm.interaction.v1 (service-desk reads no other
 * service's collections). Recording one twice keeps it once; an erased customer's (CustomerErasures)
 * are forgotten, and none that arrives after their erasure is kept.
 */
export abstract class CustomerInteractions {
  /** Keeps these interactions (each at its customer), the newest `keep` of each customer. */
  abstract record(seen: readonly { customerId: string; interaction: InteractionSeen }[], keep: number): Promise<void>;
  /** The customer's newest interactions, newest first. */
  abstract recent(customerId: string, limit: number): Promise<InteractionSeen[]>;
  /** Forgets the customers' interactions (CustomerErased; the erased mark keeps later ones out). */
  abstract forget(customerIds: readonly string[]): Promise<void>;
}

import { TICKET_PRIORITIES, TicketCategory, TicketPriority, TicketQueue, Tier } from '@meridian/events';
import { ServiceDeskRules, SlaTarget } from './service-desk-rules';

export interface TicketPriorityDecision {
  priority: TicketPriority;
  /** The category's own priority, before the tier raise. */
  categoryPriority: TicketPriority;
  /** Raised one level for the customer's tier (DIAMOND/GOLD by default). */
  raisedForTier: boolean;
}

/**
 * DOMAIN.md service desk: CARD_LOSS and DISPUTE are P1, COMPLAINT P2, others P3; DIAMOND
 * and GOLD customers are raised one level, never above P1. An unknown tier (no profile
 * yet) is not raised.
 */
export function ticketPriority(category: TicketCategory, tier: Tier | undefined, rules: ServiceDeskRules): TicketPriorityDecision {
  const categoryPriority = rules.priorityByCategory[category];
  const level = TICKET_PRIORITIES.indexOf(categoryPriority);
  const raisedForTier = tier !== undefined && rules.raisedTiers.includes(tier) && level > 0;
  return { priority: raisedForTier ? TICKET_PRIORITIES[level - 1] : categoryPriority, categoryPriority, raisedForTier };
}

/** Whose hours an SLA clock counts: around the clock, or the queue's business calendar (apps/service-desk/src/calendars). */
export type SlaClockBasis = 'AROUND_THE_CLOCK' | 'QUEUE_CALENDAR';

export interface SlaPolicy extends SlaTarget {
  basis: SlaClockBasis;
}

/** DOMAIN.md: P1 runs around the clock; P2 and P3 follow the calendar unless a queue says otherwise. */
export function slaPolicy(priority: TicketPriority, queue: TicketQueue, rules: ServiceDeskRules): SlaPolicy {
  const aroundTheClock = rules.aroundTheClockPriorities.includes(priority) || rules.aroundTheClockQueues.includes(queue);
  return { ...rules.slaTargets[priority], basis: aroundTheClock ? 'AROUND_THE_CLOCK' : 'QUEUE_CALENDAR' };
}

import type { Tier } from '@meridian/events';
import { Access, maskFreeText } from '@meridian/shared';
import type { InteractionSeen } from '../../customers/application/ports/customer-interactions.port';
import type { Ticket } from '../domain/ticket';

/** What the agent sees of the customer beside a ticket (issue 11, point 7; DOMAIN.md: a new ticket shows the customer's recent history). */
export interface TicketContext {
  access: Access;
  /** The customer beside the ticket: its own, or the survivor it was merged into. */
  customerId: string;
  /** The customers merged into them, whose tickets and interactions are listed with theirs. */
  mergedFrom?: string[];
  /** The customer as profile last announced them; UNKNOWN before any ProfileUpdated reached the desk. */
  customerStatus: 'ACTIVE' | 'MERGED' | 'ERASED' | 'UNKNOWN';
  tier?: Tier;
  branchId?: string;
  rmId?: string;
  /** The customer's other open tickets, newest first. */
  openTickets: Ticket[];
  /** Their newest other tickets that are resolved or closed, newest first. */
  recentTickets: Ticket[];
  recentInteractions: InteractionSeen[];
}

/**
 * A ticket as a view may show it: an erased customer's without what they said, even before the
 * job that clears their tickets has reached it (ADR 0012).
 */
export function withoutErasedText<T extends Pick<Ticket, 'customerId' | 'subject'>>(ticket: T, erased: ReadonlySet<string>): T {
  return erased.has(ticket.customerId) ? withoutSubject(ticket) : ticket;
}

/** The ticket without what the customer said: its subject (an erasure's clearing, and a view of it before). */
export function withoutSubject<T extends Pick<Ticket, 'subject'>>(ticket: T): T {
  if (ticket.subject === undefined) return ticket;
  const { subject: _said, ...kept } = ticket;
  return kept as T;
}

/** The free text of a context as the access shows it: in clear (FULL), or with its numbers and e-mail addresses masked. */
export function shownText(text: string | undefined, access: Access): string | undefined {
  return text === undefined || access === 'FULL' ? text : maskFreeText(text);
}

/**
 * The fields of this view that show, in clear, what a masked view would hide (the audit's
 * `fields` of PiiAccessed): a subject or an interaction's topic that holds a number or an
 * e-mail address.
 */
export function unmaskedFields(ticket: Ticket, context: TicketContext): string[] {
  if (context.access !== 'FULL') return [];
  const hides = (text?: string) => text !== undefined && maskFreeText(text) !== text;
  const fields: string[] = [];
  if ([ticket, ...context.openTickets, ...context.recentTickets].some((t) => hides(t.subject))) fields.push('subject');
  if (context.recentInteractions.some((i) => hides(i.topic))) fields.push('interactions.topic');
  return fields;
}

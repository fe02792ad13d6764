import { TICKET_PRIORITIES, TICKET_QUEUES, TicketPriority, TicketQueue } from '@meridian/events';
import { TICKET_STATUSES, Ticket, TicketStatus } from './ticket';

/** Where a ticket stands in the work lists: its queue, status and priority, and whether a target was breached. */
export interface WorkListPlace {
  queue: TicketQueue;
  status: TicketStatus;
  priority: TicketPriority;
  breached: boolean;
  /** Orders a list: oldest first, then by id (a fixed-width epoch-ms prefix, so the order is the text's). */
  member: string;
}

/** Either clock reached its breach (level 1 or beyond). */
export const isBreached = (t: Ticket) => t.clocks.FIRST_RESPONSE.reached.includes('BREACH') || t.clocks.RESOLUTION.reached.includes('BREACH');

/** Still being worked on: neither RESOLVED nor CLOSED (the agent's context view lists the customer's open tickets). */
export const isOpenTicket = (t: Pick<Ticket, 'status'>) => t.status !== 'RESOLVED' && t.status !== 'CLOSED';

export const workListMember = (openedAt: Date, ticketId: string) => `${String(new Date(openedAt).getTime()).padStart(15, '0')}|${ticketId}`;

export function workListPlace(t: Ticket): WorkListPlace {
  return { queue: t.queue, status: t.status, priority: t.priority, breached: isBreached(t), member: workListMember(t.openedAt, t.ticketId) };
}

/** What GET /v1/tickets asks for: any of these queues, statuses and priorities (empty: all), breached or not (absent: both). */
export interface WorkListFilter {
  queues: readonly TicketQueue[];
  statuses: readonly TicketStatus[];
  priorities: readonly TicketPriority[];
  breached?: boolean;
}

/** A list's part: one queue, status, priority and breach flag (a Redis sorted set each). */
export type WorkListPart = Omit<WorkListPlace, 'member'>;

/**
 * The parts a filter reads, grouped by priority (P1 first): a page lists P1 tickets before P2,
 * and within a priority the oldest first, across every queue and status the filter names.
 */
export function workListParts(filter: WorkListFilter): Array<{ priority: TicketPriority; parts: WorkListPart[] }> {
  const pick = <T>(all: readonly T[], chosen: readonly T[]) => (chosen.length ? all.filter((x) => chosen.includes(x)) : [...all]);
  const breached = filter.breached === undefined ? [false, true] : [filter.breached];
  return pick(TICKET_PRIORITIES, filter.priorities).map((priority) => ({
    priority,
    parts: pick(TICKET_QUEUES, filter.queues).flatMap((queue) => pick(TICKET_STATUSES, filter.statuses).flatMap((status) => breached.map((b) => ({ queue, status, priority, breached: b })))),
  }));
}

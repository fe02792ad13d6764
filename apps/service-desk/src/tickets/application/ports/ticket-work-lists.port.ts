import { TicketPriority } from '@meridian/events';
import { Ticket } from '../../domain/ticket';
import { WorkListFilter } from '../../domain/work-list';

/** Where a page ended: the priority it was in and the last member listed (absent: from the start). */
export interface WorkListCursor {
  priority: TicketPriority;
  after: string;
}

export interface WorkListPage {
  ticketIds: string[];
  /** Every ticket the filter matches (the lists' sizes), not just this page. */
  total: number;
  next?: WorkListCursor;
}

/**
 * The service desk's work lists (issue 11: read by key, never by scanning the tickets): every
 * ticket sits in one list per queue, status, priority and breach flag, ordered oldest first,
 * moved as it is written, and filed under its customer. Re-indexing a ticket is idempotent, so a settle sends it again safely.
 */
export abstract class TicketWorkLists {
  abstract index(tickets: readonly Ticket[]): Promise<void>;
  abstract page(filter: WorkListFilter, limit: number, cursor?: WorkListCursor): Promise<WorkListPage>;
  /** Open tickets (ASSIGNED, IN_PROGRESS, PENDING_CUSTOMER) each agent holds, counted as tickets move. */
  abstract agentLoads(): Promise<Map<string, number>>;
  /** A customer's newest open tickets, and their newest resolved or closed ones (ids, newest first, `limit` of each). */
  abstract ofCustomer(customerId: string, limit: number): Promise<{ open: string[]; done: string[] }>;
  /** Every ticket of the customer (an erasure clears what they said in each). */
  abstract allOfCustomer(customerId: string): Promise<string[]>;
}

import { BadRequestException, Injectable } from '@nestjs/common';
import { TICKET_PRIORITIES, TicketPriority } from '@meridian/events';
import { CustomerErasures } from '../../customers/application/ports/customer-erasures.port';
import { WorkListFilter } from '../domain/work-list';
import { withoutErasedText } from './ticket-context';
import { TicketWorkLists, WorkListCursor } from './ports/ticket-work-lists.port';
import { StoredTicket, TicketStore } from './ports/ticket-store.port';

export interface TicketList {
  tickets: StoredTicket[];
  total: number;
  /** Pass as `cursor` for the next page; absent on the last. */
  next?: string;
}

/** A cursor is opaque to callers: base64url of the priority and the last member listed. */
export const encodeCursor = (c: WorkListCursor) => Buffer.from(JSON.stringify([c.priority, c.after])).toString('base64url');

export function decodeCursor(text: string): WorkListCursor {
  try {
    const [priority, after] = JSON.parse(Buffer.from(text, 'base64url').toString()) as [TicketPriority, string];
    if (TICKET_PRIORITIES.includes(priority) && typeof after === 'string' && /^\d{15}\|[A-Za-z0-9_-]+$/.test(after)) return { priority, after };
  } catch {
    // answered below
  }
  throw new BadRequestException({ message: 'cursor is not one this service gave', errors: [{ field: 'cursor', rule: 'isCursor', message: 'cursor must be the `next` of an earlier page' }] });
}

/**
 * GET /v1/tickets (issue 11, point 8): a page of a work list — P1 first, then oldest first —
 * read from the lists by key and the page's tickets by `_id`: the same cost at 100 tickets or
 * 100,000. A ticket that moved since its list was read is shown as it is now.
 */
@Injectable()
export class ListTicketsUseCase {
  constructor(
    private readonly workLists: TicketWorkLists,
    private readonly tickets: TicketStore,
    private readonly erasures: CustomerErasures,
  ) {}

  async execute(filter: WorkListFilter, limit: number, cursor?: string): Promise<TicketList> {
    const page = await this.workLists.page(filter, limit, cursor === undefined ? undefined : decodeCursor(cursor));
    const loaded = [...(await this.tickets.load(page.ticketIds)).values()];
    const erased = await this.erasures.erased([...new Set(loaded.map((s) => s.ticket.customerId))]);
    const shown = new Map(loaded.map((s) => [s.ticket.ticketId, { ...s, ticket: withoutErasedText(s.ticket, erased) }]));
    return { tickets: page.ticketIds.flatMap((id) => shown.get(id) ?? []), total: page.total, ...(page.next && { next: encodeCursor(page.next) }) };
  }
}

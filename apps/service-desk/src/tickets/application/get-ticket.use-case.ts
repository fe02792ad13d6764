import { Injectable, NotFoundException } from '@nestjs/common';
import { StoredTicket, TicketStore } from './ports/ticket-store.port';

/** One ticket by id (`_id`), or 404 naming it. */
@Injectable()
export class GetTicketUseCase {
  constructor(private readonly tickets: TicketStore) {}

  async execute(ticketId: string): Promise<StoredTicket> {
    const found = (await this.tickets.load([ticketId])).get(ticketId);
    if (!found) throw new NotFoundException({ title: 'no such ticket', detail: `there is no ticket ${ticketId}` });
    return found;
  }
}

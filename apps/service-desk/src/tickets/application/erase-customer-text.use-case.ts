import { Injectable } from '@nestjs/common';
import { mapLimit } from '@meridian/shared';
import { CustomerInteractions } from '../../customers/application/ports/customer-interactions.port';
import { TicketWorkLists } from './ports/ticket-work-lists.port';
import { TicketChanges } from './ticket-changes';

/**
 * CustomerErased (PIPL; profile destroyed the customer's data key): the service desk forgets
 * what the customer said and did — their interactions, kept for the context view, and the
 * subject of each of their tickets — and keeps none of it from now on. What stays is the
 * ticket's facts (category, queue, clocks, steps, scores): under a pseudonymous id they hold
 * nothing of the person, and the SLA reports count them. A second delivery finds nothing left
 * to clear.
 */
@Injectable()
export class EraseCustomerTextUseCase {
  constructor(
    private readonly interactions: CustomerInteractions,
    private readonly workLists: TicketWorkLists,
    private readonly changes: TicketChanges,
  ) {}

  /** Answers how many tickets lost their subject. */
  async execute(customerIds: readonly string[]): Promise<number> {
    const ids = [...new Set(customerIds)];
    // First, so an interaction or a ticket arriving meanwhile keeps nothing either.
    await this.interactions.forget(ids);
    const ticketIds = (await mapLimit(ids, 8, (id) => this.workLists.allOfCustomer(id))).flat();
    const cleared = await mapLimit(ticketIds, 8, (ticketId) =>
      this.changes.change(ticketId, ({ ticket }) => {
        if (ticket.subject === undefined) return { answer: false };
        const { subject: _said, ...kept } = ticket;
        return { answer: true, write: { ticket: kept, events: [], timers: [] } };
      }),
    );
    return cleared.filter((c) => c.found && c.answer).length;
  }
}

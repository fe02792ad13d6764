import { Injectable, Logger } from '@nestjs/common';
import { mapLimit } from '@meridian/shared';
import { CustomerErasures } from '../../customers/application/ports/customer-erasures.port';
import { TicketStore } from './ports/ticket-store.port';
import { TicketChanges } from './ticket-changes';
import { withoutSubject } from './ticket-context';

/** Erased customers worked per pass (one scan of the tickets for all of them on FerretDB). */
const CUSTOMERS_PER_PASS = 50;

/**
 * Clears what erased customers said from their tickets (ADR 0012): the subject of every ticket
 * of every customer marked erased and still pending, found by the tickets' customerId (an index
 * on MongoDB 7, a scan on FerretDB v1 — erasures are rare, and finding every ticket matters more
 * than finding them fast), each cleared through the ticket's one writer. What stays is the
 * ticket's facts: under a pseudonymous id they hold nothing of the person, and the reports count
 * them. A customer leaves the pending set once all their tickets are cleared, unless marked again
 * meanwhile (a ticket opened during the pass); one whose ticket could not be written is marked
 * again, behind the others, for a later pass.
 */
@Injectable()
export class ClearErasedTextUseCase {
  private readonly logger = new Logger('ClearErasedText');

  constructor(
    private readonly erasures: CustomerErasures,
    private readonly tickets: TicketStore,
    private readonly changes: TicketChanges,
  ) {}

  /** Answers how many tickets lost their subject. */
  async execute(): Promise<number> {
    const pending = await this.erasures.pending(CUSTOMERS_PER_PASS);
    if (!pending.length) return 0;
    const theirs = await this.tickets.idsOfCustomers(pending.map((p) => p.customerId));
    const failed = new Set<string>();
    let cleared = 0;
    await mapLimit([...theirs], 8, async ([ticketId, customerId]) => {
      try {
        const change = await this.changes.change(ticketId, ({ ticket }) => {
          if (ticket.subject === undefined) return { answer: false };
          return { answer: true, write: { ticket: withoutSubject(ticket), events: [], timers: [] } };
        });
        if (change.found && change.answer) cleared++;
      } catch (error) {
        failed.add(customerId);
        this.logger.warn(`ticket ${ticketId} of erased customer ${customerId} not cleared yet: ${(error as Error).message}`);
      }
    });
    await this.erasures.cleared(pending.filter((p) => !failed.has(p.customerId)));
    // Those that failed go to the back of the line: one stuck ticket holds up no other customer's erasure.
    if (failed.size) await this.erasures.mark([...failed]);
    if (cleared) this.logger.log(`${cleared} ticket subject(s) of ${pending.length} erased customer(s) cleared`);
    return cleared;
  }
}

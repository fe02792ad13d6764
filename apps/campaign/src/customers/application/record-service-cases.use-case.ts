import { Injectable } from '@nestjs/common';
import type { EventEnvelope, TicketOpened, TicketStatusChanged } from '@meridian/events';
import { CaseChange, CustomerContacts } from './ports/customer-contacts.port';

/** The ticket categories during which no marketing reaches the customer (OPEN_SERVICE_CASE). */
export const SERVICE_CASE_CATEGORIES: readonly string[] = ['COMPLAINT', 'DISPUTE', 'CARD_LOSS'];
const SETTLED: readonly string[] = ['RESOLVED', 'CLOSED'];

/**
 * crm.ticket.v1 at campaign: a COMPLAINT, DISPUTE or CARD_LOSS ticket opens a case; its status
 * changes move it (RESOLVED or CLOSED settle it, a reopening opens it again). Offers resume once
 * every case of the customer is settled.
 */
@Injectable()
export class RecordServiceCasesUseCase {
  constructor(private readonly contacts: CustomerContacts) {}

  async execute(events: readonly EventEnvelope<TicketOpened | TicketStatusChanged>[]): Promise<void> {
    await this.contacts.recordCases(
      events.flatMap((e): CaseChange[] => {
        const base = { customerId: e.payload.customerId, ticketId: e.payload.ticketId, at: e.occurredAt };
        if (e.type === 'TicketOpened') return SERVICE_CASE_CATEGORIES.includes((e.payload as TicketOpened).category) ? [{ ...base, open: true, opens: true }] : [];
        return [{ ...base, open: !SETTLED.includes((e.payload as TicketStatusChanged).to), opens: false }];
      }),
    );
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { EnvelopeInit, EventEnvelope, InteractionRecorded, TOPICS } from '@meridian/events';
import { BatchOutcome, EventPublisher, newEnvelope } from '@meridian/events/kafka';
import { CustomerContexts } from '../../customers/application/ports/customer-contexts.port';
import { ServiceDeskConfig } from '../../config/service-desk.config';
import { classifyTicket } from '../domain/classify-ticket';
import { openTicket } from '../domain/open-ticket';
import { RoutingTable, isTicketKind } from '../domain/routing-table';
import { TicketEvent } from '../domain/ticket-event';
import { ROUTING_TABLE } from '../routing-table.token';
import { StoredTicket, TicketStore } from './ports/ticket-store.port';
import { ticketIdFor } from './ticket-id';

export interface InteractionItem {
  /** Position in the run. */
  index: number;
  envelope: EventEnvelope<InteractionRecorded>;
}

/** The eventId of a ticket's event: the ticket and what happened to it, the same however often it is decided. */
export const ticketEventId = (ticketId: string, what: string) => `tkt-${ticketId}-${what}`;

/** Envelopes for a ticket's events, caused by `cause`. */
export function ticketEnvelopes(events: readonly TicketEvent[], ticketId: string, step: string, cause: { occurredAt: string; causationId?: string; correlationId?: string }): EnvelopeInit[] {
  return events.map((e) =>
    newEnvelope(e.type, e.payload, {
      eventId: ticketEventId(ticketId, `${step}-${e.type}`),
      source: 'meridian-service-desk',
      customerId: e.payload.customerId,
      occurredAt: cause.occurredAt,
      ...(cause.causationId && { causationId: cause.causationId }),
      ...(cause.correlationId && { correlationId: cause.correlationId }),
    }),
  );
}

/**
 * Intake (issue 11, point 1): an interaction of a ticket kind (COMPLAINT, CARD_LOSS, DISPUTE,
 * INQUIRY, SERVICE_REQUEST) opens one ticket, whatever the redelivery. Its id comes from the
 * interaction's business key, so a second delivery finds the first's ticket; the ticket and
 * its TicketOpened are one insert (the embedded outbox), published, then cleared — a crash in
 * between leaves the outbox to be sent when the interaction comes again (the same eventId).
 * Classified from the kind and the text (the routing table), prioritised with the customer's
 * tier as segmentation last announced it; the SLA clocks run from when the customer got in
 * touch (the interaction's instant).
 */
@Injectable()
export class OpenTicketsUseCase {
  constructor(
    private readonly tickets: TicketStore,
    private readonly customers: CustomerContexts,
    private readonly publisher: EventPublisher,
    private readonly config: ServiceDeskConfig,
    @Inject(ROUTING_TABLE) private readonly table: RoutingTable,
  ) {}

  async execute(items: readonly InteractionItem[]): Promise<Map<number, BatchOutcome>> {
    const outcomes = new Map<number, BatchOutcome>();
    const byTicket = new Map<string, InteractionItem>();
    for (const item of items) {
      const p = item.envelope.payload;
      if (!isTicketKind(p.kind)) outcomes.set(item.index, { status: 'skipped' });
      else if (!item.envelope.customerId) {
        // crm.interaction.v1 carries the resolved customer: without one, there is nobody to open a ticket for.
        outcomes.set(item.index, { status: 'rejected', reason: { code: 'REJECTED', message: 'a ticket needs the customer: the interaction names no customerId', field: 'customerId', rule: 'isResolvedCustomer' } });
      } else {
        const ticketId = ticketIdFor(p.sourceSystem, p.interactionId);
        if (byTicket.has(ticketId)) outcomes.set(item.index, { status: 'duplicate' });
        else byTicket.set(ticketId, item);
      }
    }
    if (!byTicket.size) return outcomes;
    const found = await this.tickets.load([...byTicket.keys()]);
    const opening = [...byTicket].filter(([ticketId]) => !found.has(ticketId));
    const tiers = await this.customers.tiers(opening.map(([, item]) => item.envelope.customerId as string));
    const fresh = opening.map(([ticketId, item]) => this.open(ticketId, item, tiers));
    const raced = await this.tickets.insertNew(fresh);
    const racedTickets = raced.size ? await this.tickets.load([...raced]) : new Map<string, StoredTicket>();
    const written = fresh.filter((t) => !raced.has(t.ticket.ticketId));
    const pending = [...found.values(), ...racedTickets.values()].filter((t) => t.outbox.length);
    const sending = [...pending, ...written];
    await this.publisher.publishAll(sending.flatMap((t) => t.outbox.map((envelope) => ({ topic: TOPICS.ticket, envelope }))));
    await this.tickets.outboxSent(sending.map((t) => ({ ticketId: t.ticket.ticketId, rev: t.rev })));
    const opened = new Set(written.map((t) => t.ticket.ticketId));
    for (const [ticketId, item] of byTicket) outcomes.set(item.index, { status: opened.has(ticketId) ? 'applied' : 'duplicate' });
    return outcomes;
  }

  private open(ticketId: string, item: InteractionItem, tiers: Map<string, string>): StoredTicket {
    const { envelope } = item;
    const p = envelope.payload;
    const customerId = envelope.customerId as string;
    const classification = classifyTicket(p.kind as Parameters<typeof classifyTicket>[0], p.text, this.table);
    const tier = tiers.get(customerId) as Parameters<typeof openTicket>[0]['tier'];
    const { ticket, events } = openTicket(
      { ticketId, customerId, classification, tier, channel: p.channel, interactionId: p.interactionId, ...(p.topic !== undefined && { subject: p.topic.slice(0, 200) }) },
      new Date(envelope.occurredAt),
      this.config.rules,
    );
    const outbox = ticketEnvelopes(events, ticketId, 'opened', { occurredAt: envelope.occurredAt, causationId: envelope.eventId, correlationId: envelope.correlationId ?? envelope.eventId });
    return { ticket, rev: 1, sourceSystem: p.sourceSystem, outbox };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { EnvelopeInit, TOPICS, Tier } from '@meridian/events';
import { EventPublisher, newEnvelope } from '@meridian/events/kafka';
import { CustomerContexts } from '../../customers/application/ports/customer-contexts.port';
import { ServiceDeskConfig } from '../../config/service-desk.config';
import { classifyTicket } from '../domain/classify-ticket';
import { openTicket } from '../domain/open-ticket';
import { RoutingTable } from '../domain/routing-table';
import { TicketEvent } from '../domain/ticket-event';
import { ROUTING_TABLE } from '../routing-table.token';
import { StoredTicket, TicketStore } from './ports/ticket-store.port';
import { TicketRequest } from './ticket-request';

/** A request's ticket: the one this call opened, or the one a first request opened. */
export interface OpenedOrFound {
  stored: StoredTicket;
  opened: boolean;
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
 * Intake (issue 11, point 1): a request — an interaction of a ticket kind, or a POST — opens
 * one ticket, whatever the repeat. Its id names it (the interaction's business key, the
 * client's request key), so a second delivery finds the first's ticket; the ticket and
 * its TicketOpened are one insert (the embedded outbox), published, then cleared — a crash in
 * between leaves the outbox to be sent when the interaction comes again (the same eventId).
 * Classified from the kind and the text (the routing table), prioritised with the customer's
 * tier as segmentation last announced it; the SLA clocks run from when the customer got in
 * touch.
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

  /** Opens the tickets not opened yet; answers each request's ticket, and whether this call opened it. */
  async execute(requests: readonly TicketRequest[]): Promise<Map<string, OpenedOrFound>> {
    const byTicket = new Map<string, TicketRequest>();
    for (const r of requests) if (!byTicket.has(r.ticketId)) byTicket.set(r.ticketId, r);
    const answers = new Map<string, OpenedOrFound>();
    if (!byTicket.size) return answers;
    const found = await this.tickets.load([...byTicket.keys()]);
    const opening = [...byTicket.values()].filter((r) => !found.has(r.ticketId));
    const tiers = await this.customers.tiers(opening.map((r) => r.customerId));
    const fresh = opening.map((r) => this.open(r, tiers));
    const raced = await this.tickets.insertNew(fresh);
    const racedTickets = raced.size ? await this.tickets.load([...raced]) : new Map<string, StoredTicket>();
    const written = fresh.filter((t) => !raced.has(t.ticket.ticketId));
    const pending = [...found.values(), ...racedTickets.values()].filter((t) => t.outbox.length);
    const sending = [...pending, ...written];
    await this.publisher.publishAll(sending.flatMap((t) => t.outbox.map((envelope) => ({ topic: TOPICS.ticket, envelope }))));
    await this.tickets.outboxSent(sending.map((t) => ({ ticketId: t.ticket.ticketId, rev: t.rev })));
    for (const t of [...found.values(), ...racedTickets.values()]) answers.set(t.ticket.ticketId, { stored: { ...t, outbox: [] }, opened: false });
    for (const t of written) answers.set(t.ticket.ticketId, { stored: { ...t, outbox: [] }, opened: true });
    return answers;
  }

  private open(r: TicketRequest, tiers: Map<string, Tier>): StoredTicket {
    const classification = classifyTicket(r.kind, r.text, this.table);
    const { ticket, events } = openTicket(
      { ticketId: r.ticketId, customerId: r.customerId, classification, tier: tiers.get(r.customerId), ...(r.channel && { channel: r.channel }), ...(r.interactionId && { interactionId: r.interactionId }), ...(r.subject !== undefined && { subject: r.subject }) },
      new Date(r.at),
      this.config.rules,
    );
    const outbox = ticketEnvelopes(events, r.ticketId, 'opened', { occurredAt: r.at, causationId: r.causationId, correlationId: r.correlationId });
    return { ticket, rev: 1, sourceSystem: r.sourceSystem, outbox };
  }
}

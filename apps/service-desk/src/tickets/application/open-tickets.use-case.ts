import { Inject, Injectable } from '@nestjs/common';
import { EnvelopeInit, Tier } from '@meridian/events';
import { newEnvelope } from '@meridian/events/kafka';
import { Clock, maskFreeText } from '@meridian/shared';
import { CustomerContexts } from '../../customers/application/ports/customer-contexts.port';
import { CustomerErasures } from '../../customers/application/ports/customer-erasures.port';
import { ServiceDeskConfig } from '../../config/service-desk.config';
import { classifyTicket } from '../domain/classify-ticket';
import { openTicket } from '../domain/open-ticket';
import { reportDeltas } from '../domain/report-deltas';
import { RoutingTable } from '../domain/routing-table';
import { TicketEvent } from '../domain/ticket-event';
import { ROUTING_TABLE } from '../routing-table.token';
import { StoredTicket, TicketStore, hasPending } from './ports/ticket-store.port';
import { UnsettledTickets } from './ports/unsettled-tickets.port';
import { TicketChanges } from './ticket-changes';
import { TicketRequest } from './ticket-request';

/** A request's ticket: the one this call opened, or the one a first request opened. */
export interface OpenedOrFound {
  stored: StoredTicket;
  opened: boolean;
}

/** The eventId of a ticket's event: the ticket and what happened to it, the same however often it is decided. */
export const ticketEventId = (ticketId: string, what: string) => `tkt-${ticketId}-${what}`;

/** The free text people write into a ticket's events, and its contract's length: an opening's subject, a resolution, a reason to reopen. */
const FREE_TEXT: Partial<Record<TicketEvent['type'], { field: string; max: number }>> = {
  TicketOpened: { field: 'subject', max: 200 },
  TicketResolved: { field: 'resolution', max: 2000 },
  TicketReopened: { field: 'reason', max: 500 },
};

/**
 * A ticket event as it goes on the bus: crm.ticket.v1 is read by every service and kept for days,
 * and none of them needs a number a customer or agent typed, so free text goes out masked as a
 * MASKED view shows it (ADR 0012), within its contract's length; the ticket keeps it as written.
 */
function announced(e: TicketEvent): TicketEvent['payload'] {
  const free = FREE_TEXT[e.type];
  const text = (e.payload as unknown as Record<string, unknown>)[free?.field ?? ''];
  if (!free || typeof text !== 'string') return e.payload;
  return { ...e.payload, [free.field]: [...maskFreeText(text)].slice(0, free.max).join('') } as TicketEvent['payload'];
}

/** Envelopes for a ticket's events, caused by `cause`. */
export function ticketEnvelopes(events: readonly TicketEvent[], ticketId: string, step: string, cause: { occurredAt: string; causationId?: string; correlationId?: string }): EnvelopeInit[] {
  return events.map((e) =>
    newEnvelope(e.type, announced(e), {
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
 * client's request key), so a second delivery finds the first's ticket; the ticket, its
 * TicketOpened (the embedded outbox) and its SLA jobs to set are one insert, sent and applied
 * under the ticket's lock, then cleared — a crash in between leaves them to the interaction's
 * next delivery or the settle job (the same eventId, the same job ids).
 * Classified from the kind and the text (the routing table), prioritised with the customer's
 * tier as segmentation last announced it; the SLA clocks run from when the customer got in
 * touch.
 */
@Injectable()
export class OpenTicketsUseCase {
  constructor(
    private readonly tickets: TicketStore,
    private readonly customers: CustomerContexts,
    private readonly erasures: CustomerErasures,
    private readonly changes: TicketChanges,
    private readonly unsettled: UnsettledTickets,
    private readonly clock: Clock,
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
    const [tiers, erased] = await Promise.all([this.customers.tiers(opening.map((r) => r.customerId)), this.erasures.erased(opening.map((r) => r.customerId))]);
    // An erased customer's ticket keeps nothing they said (a late redelivery, a core system that had not heard yet).
    const fresh = opening.map((r) => this.open(erased.has(r.customerId) ? { ...r, subject: undefined } : r, tiers));
    // Marked before the insert: a crash after it leaves the settle job to send TicketOpened and set the SLA jobs.
    await this.unsettled.mark(fresh.map((t) => t.ticket.ticketId), this.clock.now());
    const raced = await this.tickets.insertNew(fresh);
    const written = fresh.filter((t) => !raced.has(t.ticket.ticketId));
    const racedTickets = raced.size ? await this.tickets.load([...raced]) : new Map<string, StoredTicket>();
    const earlier = [...found.values(), ...racedTickets.values()];
    // Before anything is sent (a failed publish must not skip it): this run's tickets and a crashed run's, whose customer may have been erased since the check above.
    await this.erasedMeanwhile([...written, ...earlier]);
    // Sent under each ticket's lock: a transition may already be changing one a first delivery opened.
    const settled = new Map([
      ...(await this.changes.settle(written.map((t) => t.ticket.ticketId), { fresh: true })),
      ...(await this.changes.settle(earlier.filter(hasPending).map((t) => t.ticket.ticketId))),
    ]);
    for (const t of earlier) answers.set(t.ticket.ticketId, { stored: settled.get(t.ticket.ticketId) ?? t, opened: false });
    for (const t of written) answers.set(t.ticket.ticketId, { stored: settled.get(t.ticket.ticketId) ?? t, opened: true });
    return answers;
  }

  /**
   * A customer erased between the check above and the insert (or before a crashed run's insert
   * was answered): their erasure's pass may have looked for their tickets before this one was
   * there, so they are marked again and the next pass clears it — the mark came first, or this
   * check sees it: one side sees the other.
   */
  private async erasedMeanwhile(written: readonly StoredTicket[]): Promise<void> {
    const said = written.filter((t) => t.ticket.subject !== undefined).map((t) => t.ticket.customerId);
    if (!said.length) return;
    const erased = await this.erasures.erased(said);
    if (erased.size) await this.erasures.mark([...erased]);
  }

  private open(r: TicketRequest, tiers: Map<string, Tier>): StoredTicket {
    const classification = classifyTicket(r.kind, r.text, this.table);
    const { ticket, events, timers } = openTicket(
      { ticketId: r.ticketId, customerId: r.customerId, classification, tier: tiers.get(r.customerId), ...(r.channel && { channel: r.channel }), ...(r.interactionId && { interactionId: r.interactionId }), ...(r.subject !== undefined && { subject: r.subject }) },
      new Date(r.at),
      this.config.rules,
    );
    const outbox = ticketEnvelopes(events, r.ticketId, 'opened', { occurredAt: r.at, causationId: r.causationId, correlationId: r.correlationId });
    return { ticket, rev: 1, sourceSystem: r.sourceSystem, outbox, timers, counts: reportDeltas(undefined, ticket) };
  }
}

import type { EventEnvelope, InteractionChannel, InteractionRecorded } from '@meridian/events';
import { BatchOutcome } from '@meridian/events/kafka';
import { TicketKind, isTicketKind } from '../domain/routing-table';
import { refusedRecord } from './refused-record';
import { ticketIdFor } from './ticket-id';

/** A ticket to open, from an interaction on Kafka or a POST: the id names it, so a repeat finds the first. */
export interface TicketRequest {
  ticketId: string;
  customerId: string;
  kind: TicketKind;
  /** Read to classify and route; not kept. */
  text?: string;
  channel?: InteractionChannel;
  interactionId?: string;
  subject?: string;
  sourceSystem: string;
  /** When the customer got in touch: the SLA clocks run from it. */
  at: string;
  causationId?: string;
  correlationId?: string;
}

/**
 * What an interaction of crm.interaction.v1 asks of the service desk: a ticket (a ticket
 * kind, named by the interaction's business key), nothing (another kind), or a refusal.
 */
export function interactionTicketRequest(envelope: EventEnvelope<InteractionRecorded>): TicketRequest | BatchOutcome {
  const p = envelope.payload;
  if (!isTicketKind(p.kind)) return { status: 'skipped' };
  // crm.interaction.v1 carries the resolved customer: without one, there is nobody to open a ticket for.
  if (!envelope.customerId) return refusedRecord('a ticket needs the customer: the interaction names no customerId', 'customerId', 'isResolvedCustomer');
  return {
    ticketId: ticketIdFor(p.sourceSystem, p.interactionId),
    customerId: envelope.customerId,
    kind: p.kind,
    ...(p.text !== undefined && { text: p.text }),
    channel: p.channel,
    interactionId: p.interactionId,
    ...(p.topic !== undefined && { subject: p.topic.slice(0, 200) }),
    sourceSystem: p.sourceSystem,
    at: envelope.occurredAt,
    causationId: envelope.eventId,
    correlationId: envelope.correlationId ?? envelope.eventId,
  };
}

/** A ticket opened by hand (POST /v1/tickets): named by who asked and their request key, so a retry finds it. */
export interface HandOpened {
  customerId: string;
  kind: TicketKind;
  channel: InteractionChannel;
  text?: string;
  subject?: string;
  requestId: string;
}

export const HAND_SOURCE = 'meridian-service-desk';

export function handTicketRequest(body: HandOpened, by: { sub: string }, at: Date, correlationId?: string): TicketRequest {
  return {
    ticketId: ticketIdFor(`${HAND_SOURCE}:${by.sub}`, body.requestId),
    customerId: body.customerId,
    kind: body.kind,
    ...(body.text !== undefined && { text: body.text }),
    channel: body.channel,
    ...(body.subject !== undefined && { subject: body.subject }),
    sourceSystem: HAND_SOURCE,
    at: at.toISOString(),
    ...(correlationId && { correlationId }),
  };
}

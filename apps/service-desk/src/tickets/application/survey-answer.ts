import type { EventEnvelope, InteractionRecorded } from '@meridian/events';
import { BatchOutcome } from '@meridian/events/kafka';
import { refusedRecord } from './refused-record';

/** A survey's answer, from a SURVEY_RESPONSE interaction: the ticket it answers and its scores. */
export interface SurveyAnswer {
  ticketId: string;
  customerId: string;
  csat?: number;
  nps?: number;
  interactionId: string;
  at: string;
  causationId: string;
  correlationId: string;
}

/** What a SURVEY_RESPONSE asks: an answer to record, or a refusal naming the field (a response of nobody, to no ticket, with no score). */
export function surveyAnswer(envelope: EventEnvelope<InteractionRecorded>): SurveyAnswer | BatchOutcome {
  const p = envelope.payload;
  if (!envelope.customerId) return refusedRecord('a survey answer needs the customer: the interaction names no customerId', 'customerId', 'isResolvedCustomer');
  if (!p.ticketId) return refusedRecord('a survey answer names the ticket it answers', 'ticketId', 'isDefined');
  if (p.csat === undefined && p.nps === undefined) return refusedRecord('a survey answer carries a CSAT (1–5) or an NPS (0–10)', 'csat', 'isDefined');
  return {
    ticketId: p.ticketId,
    customerId: envelope.customerId,
    ...(p.csat !== undefined && { csat: p.csat }),
    ...(p.nps !== undefined && { nps: p.nps }),
    interactionId: p.interactionId,
    at: envelope.occurredAt,
    causationId: envelope.eventId,
    correlationId: envelope.correlationId ?? envelope.eventId,
  };
}

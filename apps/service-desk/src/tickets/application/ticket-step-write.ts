import { EnvelopeInit } from '@meridian/events';
import { SlaTimerEffect } from '../domain/sla-timer-plan';
import { Ticket } from '../domain/ticket';
import { TicketEvent } from '../domain/ticket-event';
import { ticketEnvelopes } from './open-tickets.use-case';
import { TicketDecision } from './ticket-changes';
import { StoredTicket } from './ports/ticket-store.port';

/** The accepted outcomes of one write's commands, in order. */
export interface AcceptedStep {
  ticket: Ticket;
  events: readonly TicketEvent[];
  timers: readonly SlaTimerEffect[];
  /** When this step's events happened, where it is not the write's (an SLA stage: the instant it fell due). */
  occurredAt?: string;
}

/**
 * The write of a change: the last outcome's ticket, every outcome's events as envelopes and
 * their SLA jobs. An event's id names the ticket, the rev written and the command's place in
 * the write (`tkt-<id>-r<rev>c<n>-<type>`): the same whenever the write's outbox is sent again.
 */
export function stepWrite<T>(stored: StoredTicket, steps: readonly AcceptedStep[], answer: T, cause: { occurredAt: string; correlationId?: string }): TicketDecision<T> {
  const last = steps[steps.length - 1];
  if (!last || last.ticket === stored.ticket) return { answer };
  const rev = stored.rev + 1;
  const events: EnvelopeInit[] = steps.flatMap((s, i) => ticketEnvelopes(s.events, stored.ticket.ticketId, `r${rev}c${i}`, { ...cause, ...(s.occurredAt !== undefined && { occurredAt: s.occurredAt }) }));
  return { answer, write: { ticket: last.ticket, events, timers: steps.flatMap((s) => s.timers) } };
}

/** A step's instant: now, or the ticket's last step if a clock skew between instances put that later (spans never run backwards). */
export function notBefore(now: Date, ticket: Ticket): Date {
  const last = ticket.history.at(-1)?.at;
  return last && new Date(last).getTime() > now.getTime() ? new Date(last) : now;
}

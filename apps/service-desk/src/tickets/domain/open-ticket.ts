import { InteractionChannel, Tier } from '@meridian/events';
import { TicketClassification } from './classify-ticket';
import { ServiceDeskRules } from './service-desk-rules';
import { SlaTimerEffect, scheduleTimer } from './sla-timer-plan';
import { startClock } from './sla-clock';
import { Ticket } from './ticket';
import { TicketEvent } from './ticket-event';
import { ticketPriority } from './ticket-priority';

export interface OpenTicketInput {
  ticketId: string;
  customerId: string;
  classification: TicketClassification;
  /** The customer's value tier, when the profile knows it (DIAMOND/GOLD are raised one level). */
  tier?: Tier;
  channel?: InteractionChannel;
  interactionId?: string;
  subject?: string;
}

export interface OpenedTicket {
  ticket: Ticket;
  events: TicketEvent[];
  timers: SlaTimerEffect[];
}

/** A new ticket, NEW and unassigned, both SLA clocks running from `at` (DOMAIN.md service desk), announced by TicketOpened. */
export function openTicket(input: OpenTicketInput, at: Date, rules: ServiceDeskRules): OpenedTicket {
  const { category, queue, topic } = input.classification;
  const { priority } = ticketPriority(category, input.tier, rules);
  const ticket: Ticket = {
    ticketId: input.ticketId,
    customerId: input.customerId,
    category,
    queue,
    priority,
    status: 'NEW',
    ...(input.channel !== undefined && { channel: input.channel }),
    ...(input.interactionId !== undefined && { interactionId: input.interactionId }),
    ...(input.subject !== undefined && { subject: input.subject }),
    ...(topic && { topic }),
    openedAt: at,
    reopenedCount: 0,
    surveyRequested: false,
    clocks: { FIRST_RESPONSE: startClock(at), RESOLUTION: startClock(at) },
    history: [],
  };
  const payload = {
    customerId: ticket.customerId,
    ticketId: ticket.ticketId,
    category,
    queue,
    priority,
    ...(input.channel !== undefined && { channel: input.channel }),
    ...(input.interactionId !== undefined && { interactionId: input.interactionId }),
    ...(input.subject !== undefined && { subject: input.subject }),
  };
  return {
    ticket,
    events: [{ type: 'TicketOpened', payload }],
    timers: [...scheduleTimer(ticket, 'FIRST_RESPONSE', rules), ...scheduleTimer(ticket, 'RESOLUTION', rules)],
  };
}

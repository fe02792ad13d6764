import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { INTERACTION_CHANNELS, INTERACTION_KINDS, TICKET_CATEGORIES, TICKET_PRIORITIES, TICKET_QUEUES, TIERS } from '@meridian/events';
import type { Access } from '@meridian/shared';
import { StoredTicket } from '../application/ports/ticket-store.port';
import { TicketContext, shownText } from '../application/ticket-context';
import { SLA_TIMERS, TICKET_STATUSES, Ticket } from '../domain/ticket';

export class SlaClockView {
  @ApiProperty({ enum: ['RUNNING', 'PAUSED', 'STOPPED'] }) status!: string;
  @ApiPropertyOptional({ description: 'since when it runs (its current span)' }) runningSince?: string;
  @ApiPropertyOptional() pausedSince?: string;
  @ApiPropertyOptional() stoppedAt?: string;
  @ApiProperty({ description: 'the stages that fell due: WARN, BREACH, BREACH_2X', type: [String] }) reached!: string[];
}

export class MatchedRuleView {
  @ApiProperty() ruleId!: string;
  @ApiProperty({ description: 'the phrase of the routing table that matched, as written there' }) phrase!: string;
}

export class TicketStepView {
  @ApiProperty() at!: string;
  @ApiProperty({ description: 'ASSIGN, START, AWAIT_CUSTOMER, CUSTOMER_REPLIED, RESOLVE, CLOSE, REOPEN or SLA_STAGE_REACHED' }) command!: string;
  @ApiPropertyOptional({ description: 'who (a principal); absent for the service desk’s own steps' }) by?: string;
  @ApiProperty({ enum: TICKET_STATUSES }) from!: string;
  @ApiProperty({ enum: TICKET_STATUSES }) to!: string;
  @ApiPropertyOptional({ description: 'assignee@queue of an assignment, TIMER:STAGE of an SLA step' }) detail?: string;
}

export class SatisfactionView {
  @ApiPropertyOptional({ minimum: 1, maximum: 5 }) csat?: number;
  @ApiPropertyOptional({ minimum: 0, maximum: 10 }) nps?: number;
  @ApiProperty() at!: string;
  @ApiPropertyOptional({ description: 'the SURVEY_RESPONSE interaction that answered' }) interactionId?: string;
}

export class TicketView {
  @ApiProperty() ticketId!: string;
  @ApiProperty() customerId!: string;
  @ApiProperty({ enum: TICKET_CATEGORIES }) category!: string;
  @ApiProperty({ enum: TICKET_QUEUES }) queue!: string;
  @ApiProperty({ enum: TICKET_PRIORITIES }) priority!: string;
  @ApiProperty({ enum: TICKET_STATUSES }) status!: string;
  @ApiPropertyOptional() assigneeId?: string;
  @ApiPropertyOptional() channel?: string;
  @ApiPropertyOptional() interactionId?: string;
  @ApiPropertyOptional({ description: 'as the caller may see it: numbers and e-mail addresses in it masked unless the view is FULL' }) subject?: string;
  @ApiPropertyOptional({ type: MatchedRuleView, description: 'the routing rule that chose the queue: the topic of complaint reports' }) topic?: MatchedRuleView;
  @ApiProperty() openedAt!: string;
  @ApiPropertyOptional() firstRespondedAt?: string;
  @ApiPropertyOptional() resolvedAt?: string;
  @ApiPropertyOptional() closedAt?: string;
  @ApiProperty() reopenedCount!: number;
  @ApiProperty({ description: 'a satisfaction survey went out (once per ticket)' }) surveyRequested!: boolean;
  @ApiPropertyOptional({ type: SatisfactionView, description: 'the survey’s answer' }) satisfaction?: SatisfactionView;
  @ApiProperty({ type: [TicketStepView], description: 'every step after the opening, oldest first' }) history!: TicketStepView[];
  @ApiProperty({ description: 'a SLA clock per timer: FIRST_RESPONSE and RESOLUTION', type: 'object', additionalProperties: { $ref: '#/components/schemas/SlaClockView' } }) clocks!: Record<string, SlaClockView>;
}

const iso = (d: Date | undefined) => (d ? new Date(d).toISOString() : undefined);

/**
 * A ticket as an answer shows it. Its subject is free text a customer may have put a card or
 * phone number in: masked (DOMAIN.md security) unless the caller's view of the customer is FULL
 * (GET /v1/tickets/{id}, audited); work lists and write answers show it masked.
 */
export function ticketView({ ticket: t }: StoredTicket, access: Access = 'MASKED'): TicketView {
  const view = {
    ...t,
    subject: shownText(t.subject, access),
    openedAt: new Date(t.openedAt).toISOString(),
    firstRespondedAt: iso(t.firstRespondedAt),
    resolvedAt: iso(t.resolvedAt),
    closedAt: iso(t.closedAt),
    clocks: Object.fromEntries(
      SLA_TIMERS.map((timer) => {
        const c = t.clocks[timer];
        return [timer, { status: c.status, runningSince: iso(c.runningSince), pausedSince: iso(c.pausedSince), stoppedAt: iso(c.stoppedAt), reached: [...c.reached] }];
      }),
    ),
  };
  return JSON.parse(JSON.stringify(view)) as TicketView;
}

export class TicketListView {
  @ApiProperty({ type: [TicketView] }) tickets!: TicketView[];
  @ApiProperty({ description: 'every ticket the filters match' }) total!: number;
  @ApiPropertyOptional({ description: 'the cursor of the next page; absent on the last' }) next?: string;
}

export class TicketSummaryView {
  @ApiProperty() ticketId!: string;
  @ApiProperty({ enum: TICKET_CATEGORIES }) category!: string;
  @ApiProperty({ enum: TICKET_QUEUES }) queue!: string;
  @ApiProperty({ enum: TICKET_PRIORITIES }) priority!: string;
  @ApiProperty({ enum: TICKET_STATUSES }) status!: string;
  @ApiPropertyOptional() subject?: string;
  @ApiPropertyOptional({ description: 'the routing rule that matched' }) topic?: string;
  @ApiProperty() openedAt!: string;
  @ApiPropertyOptional() resolvedAt?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 5 }) csat?: number;
}

export class InteractionSeenView {
  @ApiProperty() interactionId!: string;
  @ApiProperty({ enum: INTERACTION_KINDS }) kind!: string;
  @ApiProperty({ enum: INTERACTION_CHANNELS }) channel!: string;
  @ApiProperty() occurredAt!: string;
  @ApiPropertyOptional({ description: 'what it was about, masked as the subject is' }) topic?: string;
  @ApiPropertyOptional() ticketId?: string;
  @ApiPropertyOptional() campaignId?: string;
}

export class TicketContextView {
  @ApiProperty({ enum: ['FULL', 'MASKED'], description: 'how much of the customer the caller sees (as profile decides it)' }) access!: string;
  @ApiProperty({ description: 'the customer beside the ticket: the ticket’s own, or the survivor it was merged into (IdentityMerged)' }) customerId!: string;
  @ApiPropertyOptional({ type: [String], description: 'the customers merged into them, whose tickets and interactions are listed with theirs' }) mergedFrom?: string[];
  @ApiProperty({ enum: ['ACTIVE', 'MERGED', 'ERASED', 'UNKNOWN'], description: 'the customer as profile last announced them (UNKNOWN: not yet)' }) customerStatus!: string;
  @ApiPropertyOptional({ enum: TIERS }) tier?: string;
  @ApiPropertyOptional() branchId?: string;
  @ApiPropertyOptional() rmId?: string;
  @ApiProperty({ type: [TicketSummaryView], description: 'the customer’s other open tickets, newest first' }) openTickets!: TicketSummaryView[];
  @ApiProperty({ type: [TicketSummaryView], description: 'their newest other tickets, resolved or closed' }) recentTickets!: TicketSummaryView[];
  @ApiProperty({ type: [InteractionSeenView], description: 'their newest interactions of any kind, newest first (no free text)' }) recentInteractions!: InteractionSeenView[];
}

export class TicketWithContextView extends TicketView {
  @ApiProperty({ type: TicketContextView, description: 'the customer beside the ticket, for the agent (kept from the events the service desk consumes)' }) context!: TicketContextView;
}

function summaryView(t: Ticket, access: Access): TicketSummaryView {
  return JSON.parse(
    JSON.stringify({ ticketId: t.ticketId, category: t.category, queue: t.queue, priority: t.priority, status: t.status, subject: shownText(t.subject, access), topic: t.topic?.ruleId, openedAt: iso(t.openedAt), resolvedAt: iso(t.resolvedAt), csat: t.satisfaction?.csat }),
  ) as TicketSummaryView;
}

export function ticketWithContextView(stored: StoredTicket, c: TicketContext): TicketWithContextView {
  const context: TicketContextView = {
    access: c.access,
    customerId: c.customerId,
    ...(c.mergedFrom && { mergedFrom: c.mergedFrom }),
    customerStatus: c.customerStatus,
    ...(c.tier && { tier: c.tier }),
    ...(c.branchId && { branchId: c.branchId }),
    ...(c.rmId && { rmId: c.rmId }),
    openTickets: c.openTickets.map((t) => summaryView(t, c.access)),
    recentTickets: c.recentTickets.map((t) => summaryView(t, c.access)),
    recentInteractions: c.recentInteractions.map((i) => ({ ...i, ...(i.topic !== undefined && { topic: shownText(i.topic, c.access) }) })),
  };
  return { ...ticketView(stored, c.access), context };
}

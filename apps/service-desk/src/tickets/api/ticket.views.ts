import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TICKET_CATEGORIES, TICKET_PRIORITIES, TICKET_QUEUES } from '@meridian/events';
import { StoredTicket } from '../application/ports/ticket-store.port';
import { SLA_TIMERS, TICKET_STATUSES } from '../domain/ticket';

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
  @ApiPropertyOptional() subject?: string;
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

export function ticketView({ ticket: t }: StoredTicket): TicketView {
  const view = {
    ...t,
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

import { IsInt, IsOptional, Max, Min } from 'class-validator';
import {
  INTERACTION_CHANNELS,
  InteractionChannel,
  MARKETING_CHANNELS,
  MarketingChannel,
  TICKET_CATEGORIES,
  TICKET_PRIORITIES,
  TICKET_QUEUES,
  TICKET_STATUSES,
  TicketCategory,
  TicketPriority,
  TicketQueue,
  TicketStatus,
} from '../../enums';
import { OptionalEnum, OptionalString, RequiredEnum, RequiredString } from '../../validation/fields';

abstract class TicketScoped {
  @RequiredString(64) customerId!: string;
  @RequiredString(128) ticketId!: string;
}

/** crm.ticket.v1 */
export class TicketOpened extends TicketScoped {
  @RequiredEnum(TICKET_CATEGORIES) category!: TicketCategory;
  @RequiredEnum(TICKET_QUEUES) queue!: TicketQueue;
  @RequiredEnum(TICKET_PRIORITIES) priority!: TicketPriority;
  @OptionalEnum(INTERACTION_CHANNELS) channel?: InteractionChannel;
  @OptionalString(128) interactionId?: string;
  @OptionalString(200) subject?: string;
}

/** crm.ticket.v1 */
export class TicketAssigned extends TicketScoped {
  @RequiredString(64) assigneeId!: string;
  @RequiredEnum(TICKET_QUEUES) queue!: TicketQueue;
  /** Who assigned it (a principal's subject); absent when the service desk's assignment chose the agent. */
  @OptionalString(128) by?: string;
}

/** crm.ticket.v1: every change of a ticket's status, who made it and from what (TicketResolved, TicketClosed, TicketReopened say more of theirs). */
export class TicketStatusChanged extends TicketScoped {
  @RequiredEnum(TICKET_STATUSES) from!: TicketStatus;
  @RequiredEnum(TICKET_STATUSES) to!: TicketStatus;
  /** A principal's subject; absent for the service desk's own moves (an automatic assignment). */
  @OptionalString(128) by?: string;
}

/** crm.ticket.v1: level 1 = queue supervisor (breach), level 2 = branch manager (2× breach). */
export class TicketEscalated extends TicketScoped {
  @IsInt() @Min(1) @Max(2) level!: number;
  @RequiredString(500) reason!: string;
}

/** crm.ticket.v1 */
export class TicketResolved extends TicketScoped {
  @OptionalString(2000) resolution?: string;
}

/** crm.ticket.v1 */
export class TicketClosed extends TicketScoped {}

/** crm.ticket.v1: a RESOLVED ticket was reopened (DOMAIN.md: within 7 days). */
export class TicketReopened extends TicketScoped {
  @OptionalString(500) reason?: string;
}

/** crm.ticket.v1: a satisfaction survey went out, once per ticket, on the customer's preferred consented channel. */
export class SurveyRequested extends TicketScoped {
  @RequiredEnum(MARKETING_CHANNELS) channel!: MarketingChannel;
  @RequiredString(128) messageId!: string;
}

/** crm.ticket.v1: survey answer recorded on the ticket and, by profile, on the customer. */
export class SatisfactionRecorded extends TicketScoped {
  @IsOptional() @IsInt() @Min(1) @Max(5) csat?: number;
  @IsOptional() @IsInt() @Min(0) @Max(10) nps?: number;
}

import { InteractionChannel, TICKET_STATUSES, TicketCategory, TicketPriority, TicketQueue, TicketStatus } from '@meridian/events';

/** DOMAIN.md service desk's states (the contract's: TicketStatusChanged carries them). */
export { TICKET_STATUSES };
export type { TicketStatus };

/** The two SLA clocks of a ticket (DOMAIN.md: first response / resolution). */
export const SLA_TIMERS = ['FIRST_RESPONSE', 'RESOLUTION'] as const;
export type SlaTimer = (typeof SLA_TIMERS)[number];

/** The stages of a clock: warn at 80 % of the target, level 1 at breach, level 2 at 2× breach (fractions in ServiceDeskRules). */
export const SLA_STAGES = ['WARN', 'BREACH', 'BREACH_2X'] as const;
export type SlaStage = (typeof SLA_STAGES)[number];

/** A stretch of time the clock ran. Its working time is measured by the application (the queue's calendar, or around the clock). */
export interface ClockSpan {
  from: Date;
  to: Date;
}

/**
 * An SLA clock as data: it runs from the ticket's opening, pauses in PENDING_CUSTOMER and
 * stops at its event (first response at IN_PROGRESS, resolution at RESOLVED). Elapsed time
 * is the working time of `spans` plus, while RUNNING, that since `runningSince`; the domain
 * keeps the instants and the application measures them with the calendar module.
 */
export interface SlaClock {
  status: 'RUNNING' | 'PAUSED' | 'STOPPED';
  /** Finished running spans, oldest first. */
  spans: ClockSpan[];
  runningSince?: Date;
  pausedSince?: Date;
  stoppedAt?: Date;
  /** Stages that fell due while running: never scheduled again. */
  reached: SlaStage[];
}

/** One accepted step of a ticket's life: what was asked, by whom, when, and the status it left and reached. */
export interface TicketStep {
  at: Date;
  /** The command (ticket-transitions.ts), or SLA_STAGE_REACHED with its timer and stage. */
  command: string;
  /** A principal's subject; absent for the service desk's own steps (an SLA stage, an automatic assignment). */
  by?: string;
  from: TicketStatus;
  to: TicketStatus;
  /** The assignee and queue of an assignment, the timer and stage of an SLA step. */
  detail?: string;
}

export interface Ticket {
  ticketId: string;
  customerId: string;
  category: TicketCategory;
  queue: TicketQueue;
  priority: TicketPriority;
  status: TicketStatus;
  assigneeId?: string;
  channel?: InteractionChannel;
  interactionId?: string;
  subject?: string;
  /** The routing rule that matched (the complaint report's topic). */
  topic?: { ruleId: string; phrase: string };
  openedAt: Date;
  /** The first agent response (IN_PROGRESS): set once, never moved. */
  firstRespondedAt?: Date;
  /** Set while RESOLVED or CLOSED. */
  resolvedAt?: Date;
  closedAt?: Date;
  reopenedCount: number;
  /** DOMAIN.md: a survey is sent once per ticket. */
  surveyRequested: boolean;
  /** The survey's answer (DOMAIN.md service feedback), recorded once. */
  satisfaction?: { csat?: number; nps?: number; at: Date; interactionId?: string };
  clocks: Record<SlaTimer, SlaClock>;
  /** Every accepted step, oldest first (opening excluded: openedAt says it), the newest MAX_TICKET_STEPS kept. */
  history: TicketStep[];
}

/** A ticket keeps its newest steps: a few dozen is a long ticket, so the cap only bounds a runaway. */
export const MAX_TICKET_STEPS = 200;

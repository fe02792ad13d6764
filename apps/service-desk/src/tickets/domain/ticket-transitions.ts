import { MarketingChannel, TicketQueue } from '@meridian/events';
import { ServiceDeskRules } from './service-desk-rules';
import { pauseClock, resumeClock, stopClock } from './sla-clock';
import { SlaTimerEffect, cancelTimer, retargetTimer, scheduleTimer } from './sla-timer-plan';
import { MAX_TICKET_STEPS, SLA_TIMERS, SlaStage, SlaTimer, Ticket, TicketStatus, TicketStep } from './ticket';
import { TicketEvent } from './ticket-event';
import { slaPolicy } from './ticket-priority';

/** What an agent (or the SLA scheduler) asks of a ticket. */
export type TicketCommand =
  /** Assign, or reassign (optionally to another queue): the status stays, except NEW → ASSIGNED. */
  | { type: 'ASSIGN'; assigneeId: string; queue?: TicketQueue }
  /** The agent takes it up: the first response (ASSIGNED → IN_PROGRESS). */
  | { type: 'START' }
  | { type: 'AWAIT_CUSTOMER' }
  | { type: 'CUSTOMER_REPLIED' }
  /** `survey`: the channel survey-channel.ts chose and the message's id; absent when none may be sent. */
  | { type: 'RESOLVE'; resolution?: string; survey?: { channel: MarketingChannel; messageId: string } }
  | { type: 'CLOSE' }
  | { type: 'REOPEN'; reason?: string }
  /** A scheduled stage fell due (the BullMQ job fired). */
  | { type: 'SLA_STAGE_REACHED'; timer: SlaTimer; stage: SlaStage }
  /** The customer answered the ticket's survey (a SURVEY_RESPONSE interaction). */
  | { type: 'RECORD_SATISFACTION'; csat?: number; nps?: number; interactionId?: string };
export type TicketCommandType = TicketCommand['type'];

/**
 * The commands each status accepts (DOMAIN.md states; a 409 lists these). REOPEN goes to
 * IN_PROGRESS, not ASSIGNED: the ticket keeps its agent, and ASSIGNED would say "awaiting a
 * first response" that was already given (ADR 0010). SLA_STAGE_REACHED is accepted in any
 * status whose clock runs, and is not listed.
 */
export const ALLOWED_COMMANDS: Record<TicketStatus, readonly TicketCommandType[]> = {
  NEW: ['ASSIGN'],
  ASSIGNED: ['ASSIGN', 'START'],
  IN_PROGRESS: ['ASSIGN', 'AWAIT_CUSTOMER', 'RESOLVE'],
  PENDING_CUSTOMER: ['ASSIGN', 'CUSTOMER_REPLIED', 'RESOLVE'],
  RESOLVED: ['CLOSE', 'REOPEN'],
  CLOSED: [],
};

export type TransitionRefusal =
  | 'NOT_ALLOWED_IN_STATUS'
  /** DOMAIN.md: RESOLVED may reopen within 7 days (reopenWindowDays) of its resolution. */
  | 'REOPEN_WINDOW_PASSED'
  /** A stage job fired for a clock that is no longer running, or a stage already reached (a stale or repeated job). */
  | 'CLOCK_NOT_RUNNING'
  /** An answer to a survey this ticket never sent. */
  | 'NO_SURVEY'
  /** The survey was answered before: the first answer stands. */
  | 'ALREADY_ANSWERED';

export type TransitionOutcome =
  | { ok: true; ticket: Ticket; events: TicketEvent[]; timers: SlaTimerEffect[] }
  | { ok: false; ticket: Ticket; refusal: TransitionRefusal; status: TicketStatus; command: TicketCommandType; allowed: readonly TicketCommandType[] };

const DAY_MS = 24 * 60 * 60 * 1000;
const ESCALATION_LEVEL: Partial<Record<SlaStage, 1 | 2>> = { BREACH: 1, BREACH_2X: 2 };

const refuse = (ticket: Ticket, command: TicketCommand, refusal: TransitionRefusal): TransitionOutcome => ({
  ok: false,
  ticket,
  refusal,
  status: ticket.status,
  command: command.type,
  allowed: ALLOWED_COMMANDS[ticket.status],
});

const scoped = (t: Ticket) => ({ customerId: t.customerId, ticketId: t.ticketId });

/**
 * One step of a ticket's life as data (DOMAIN.md service desk): the new ticket, the events
 * to publish and the SLA jobs to schedule, cancel or retarget; or, for a command its status
 * does not accept, a refusal with the ticket unchanged and the commands it does accept.
 * - First response stops at IN_PROGRESS and is never restarted (not by reassignment, a
 *   customer's reply or a reopen: the Zammad bug, where later updates reset it).
 * - Resolution stops at RESOLVED; a reopen resumes it where it stood (the RESOLVED days do
 *   not count; stages reached stay reached).
 * - PENDING_CUSTOMER pauses the running clocks (their jobs cancelled); leaving it resumes
 *   them (their pending stages scheduled again from the spans run so far).
 * - Reassignment keeps the deadlines and retargets the running clocks' jobs.
 * - RESOLVE sends the survey at most once per ticket.
 */
export function transitionTicket(ticket: Ticket, command: TicketCommand, at: Date, rules: ServiceDeskRules, by?: string): TransitionOutcome {
  const outcome = decide(ticket, command, at, rules, by);
  return outcome.ok && outcome.ticket !== ticket ? recorded(ticket, command, at, by, outcome) : outcome;
}

/**
 * Every accepted step that changed the ticket is kept on it (who, when, from and to), and a
 * change of status is published as TicketStatusChanged, first among the step's events.
 */
function recorded(before: Ticket, command: TicketCommand, at: Date, by: string | undefined, outcome: Extract<TransitionOutcome, { ok: true }>): TransitionOutcome {
  const { ticket } = outcome;
  const detail = command.type === 'ASSIGN' ? `${ticket.assigneeId}@${ticket.queue}` : command.type === 'SLA_STAGE_REACHED' ? `${command.timer}:${command.stage}` : undefined;
  const step: TicketStep = { at, command: command.type, ...(by !== undefined && { by }), from: before.status, to: ticket.status, ...(detail !== undefined && { detail }) };
  const moved: TicketEvent[] = before.status === ticket.status ? [] : [{ type: 'TicketStatusChanged', payload: { ...scoped(ticket), from: before.status, to: ticket.status, ...(by !== undefined && { by }) } }];
  return { ...outcome, ticket: { ...ticket, history: [...(before.history ?? []), step].slice(-MAX_TICKET_STEPS) }, events: [...moved, ...outcome.events] };
}

function decide(ticket: Ticket, command: TicketCommand, at: Date, rules: ServiceDeskRules, by: string | undefined): TransitionOutcome {
  if (command.type === 'SLA_STAGE_REACHED') return stageReached(ticket, command, rules);
  if (command.type === 'RECORD_SATISFACTION') return satisfactionRecorded(ticket, command, at);
  if (!ALLOWED_COMMANDS[ticket.status].includes(command.type)) return refuse(ticket, command, 'NOT_ALLOWED_IN_STATUS');
  switch (command.type) {
    case 'ASSIGN': {
      const queue = command.queue ?? ticket.queue;
      if (command.assigneeId === ticket.assigneeId && queue === ticket.queue) return { ok: true, ticket, events: [], timers: [] };
      const next: Ticket = { ...ticket, assigneeId: command.assigneeId, queue, status: ticket.status === 'NEW' ? 'ASSIGNED' : ticket.status };
      return { ok: true, ticket: next, events: [{ type: 'TicketAssigned', payload: { ...scoped(next), assigneeId: command.assigneeId, queue, ...(by !== undefined && { by }) } }], timers: SLA_TIMERS.flatMap((t) => retargetTimer(next, t, rules)) };
    }
    case 'START': {
      const clocks = { ...ticket.clocks, FIRST_RESPONSE: stopClock(ticket.clocks.FIRST_RESPONSE, at) };
      const next: Ticket = { ...ticket, status: 'IN_PROGRESS', firstRespondedAt: ticket.firstRespondedAt ?? at, clocks };
      return { ok: true, ticket: next, events: [], timers: cancelTimer(ticket.clocks.FIRST_RESPONSE, 'FIRST_RESPONSE') };
    }
    case 'AWAIT_CUSTOMER': {
      const next: Ticket = { ...ticket, status: 'PENDING_CUSTOMER', clocks: mapClocks(ticket, (c) => pauseClock(c, at)) };
      return { ok: true, ticket: next, events: [], timers: SLA_TIMERS.flatMap((t) => cancelTimer(ticket.clocks[t], t)) };
    }
    case 'CUSTOMER_REPLIED': {
      const next: Ticket = { ...ticket, status: 'IN_PROGRESS', clocks: mapClocks(ticket, (c) => resumeClock(c, at)) };
      return { ok: true, ticket: next, events: [], timers: SLA_TIMERS.flatMap((t) => (ticket.clocks[t].status === 'PAUSED' ? scheduleTimer(next, t, rules) : [])) };
    }
    case 'RESOLVE': {
      const survey = command.survey && !ticket.surveyRequested ? command.survey : undefined;
      const next: Ticket = { ...ticket, status: 'RESOLVED', resolvedAt: at, surveyRequested: ticket.surveyRequested || survey !== undefined, clocks: mapClocks(ticket, (c) => stopClock(c, at)) };
      const events: TicketEvent[] = [{ type: 'TicketResolved', payload: { ...scoped(next), ...(command.resolution !== undefined && { resolution: command.resolution }) } }];
      if (survey) events.push({ type: 'SurveyRequested', payload: { ...scoped(next), channel: survey.channel, messageId: survey.messageId } });
      return { ok: true, ticket: next, events, timers: SLA_TIMERS.flatMap((t) => cancelTimer(ticket.clocks[t], t)) };
    }
    case 'CLOSE': {
      const next: Ticket = { ...ticket, status: 'CLOSED', closedAt: at };
      return { ok: true, ticket: next, events: [{ type: 'TicketClosed', payload: scoped(next) }], timers: [] };
    }
    case 'REOPEN': {
      const resolvedAt = (ticket.resolvedAt as Date).getTime();
      if (at.getTime() > resolvedAt + rules.reopenWindowDays * DAY_MS) return refuse(ticket, command, 'REOPEN_WINDOW_PASSED');
      const { resolvedAt: _resolved, ...rest } = ticket;
      const next: Ticket = { ...rest, status: 'IN_PROGRESS', reopenedCount: ticket.reopenedCount + 1, clocks: { ...ticket.clocks, RESOLUTION: resumeClock(ticket.clocks.RESOLUTION, at, true) } };
      const events: TicketEvent[] = [{ type: 'TicketReopened', payload: { ...scoped(next), ...(command.reason !== undefined && { reason: command.reason }) } }];
      return { ok: true, ticket: next, events, timers: scheduleTimer(next, 'RESOLUTION', rules) };
    }
  }
}

function satisfactionRecorded(ticket: Ticket, command: Extract<TicketCommand, { type: 'RECORD_SATISFACTION' }>, at: Date): TransitionOutcome {
  if (!ticket.surveyRequested) return refuse(ticket, command, 'NO_SURVEY');
  if (ticket.satisfaction) return refuse(ticket, command, 'ALREADY_ANSWERED');
  const scores = { ...(command.csat !== undefined && { csat: command.csat }), ...(command.nps !== undefined && { nps: command.nps }) };
  const next: Ticket = { ...ticket, satisfaction: { ...scores, at, ...(command.interactionId !== undefined && { interactionId: command.interactionId }) } };
  return { ok: true, ticket: next, events: [{ type: 'SatisfactionRecorded', payload: { ...scoped(next), ...scores } }], timers: [] };
}

function mapClocks(ticket: Ticket, move: (clock: Ticket['clocks'][SlaTimer]) => Ticket['clocks'][SlaTimer]): Ticket['clocks'] {
  return { FIRST_RESPONSE: move(ticket.clocks.FIRST_RESPONSE), RESOLUTION: move(ticket.clocks.RESOLUTION) };
}

/** DOMAIN.md: at breach escalate to the queue's supervisor (level 1), at 2× breach to the branch manager (level 2); the warning publishes nothing. */
function stageReached(ticket: Ticket, command: Extract<TicketCommand, { type: 'SLA_STAGE_REACHED' }>, rules: ServiceDeskRules): TransitionOutcome {
  const clock = ticket.clocks[command.timer];
  if (clock.status !== 'RUNNING' || clock.reached.includes(command.stage)) return refuse(ticket, command, 'CLOCK_NOT_RUNNING');
  const next: Ticket = { ...ticket, clocks: { ...ticket.clocks, [command.timer]: { ...clock, reached: [...clock.reached, command.stage] } } };
  const level = ESCALATION_LEVEL[command.stage];
  if (!level) return { ok: true, ticket: next, events: [], timers: [] };
  const policy = slaPolicy(ticket.priority, ticket.queue, rules);
  const minutes = command.timer === 'FIRST_RESPONSE' ? policy.firstResponseMinutes : policy.resolutionMinutes;
  const what = command.timer === 'FIRST_RESPONSE' ? 'first response' : 'resolution';
  const reason = `${ticket.priority} ${what} target of ${minutes} min ${level === 1 ? 'breached' : 'breached twice over'}`;
  return { ok: true, ticket: next, events: [{ type: 'TicketEscalated', payload: { ...scoped(next), level, reason } }], timers: [] };
}

import { DEFAULT_SERVICE_DESK_RULES as RULES } from './service-desk-rules';
import { openTicket } from './open-ticket';
import { SlaTimerEffect } from './sla-timer-plan';
import { TICKET_STATUSES, Ticket, TicketStatus } from './ticket';
import { ALLOWED_COMMANDS, TicketCommand, TicketCommandType, transitionTicket } from './ticket-transitions';

const T0 = new Date('2026-03-02T09:00:00+08:00');
const min = (n: number) => new Date(T0.getTime() + n * 60_000);
const DAY = 24 * 60;

const opened = (over: Partial<Parameters<typeof openTicket>[0]> = {}) =>
  openTicket({ ticketId: 'T1', customerId: 'C1', classification: { category: 'COMPLAINT', queue: 'CARDS', tableVersion: 1 }, ...over }, T0, RULES);

/** Runs commands one minute apart from T0 + 1 min, each of which must be accepted. */
function run(commands: TicketCommand[], start: Ticket = opened().ticket, from = 1) {
  let ticket = start;
  const steps = commands.map((command, i) => {
    const outcome = transitionTicket(ticket, command, min(from + i), RULES);
    if (!outcome.ok) throw new Error(`${command.type} refused in ${ticket.status}: ${outcome.refusal}`);
    ticket = outcome.ticket;
    return outcome;
  });
  return { ticket, steps, last: steps[steps.length - 1] };
}

const ASSIGN: TicketCommand = { type: 'ASSIGN', assigneeId: 'A1' };
const TO: Record<TicketStatus, TicketCommand[]> = {
  NEW: [],
  ASSIGNED: [ASSIGN],
  IN_PROGRESS: [ASSIGN, { type: 'START' }],
  PENDING_CUSTOMER: [ASSIGN, { type: 'START' }, { type: 'AWAIT_CUSTOMER' }],
  RESOLVED: [ASSIGN, { type: 'START' }, { type: 'RESOLVE' }],
  CLOSED: [ASSIGN, { type: 'START' }, { type: 'RESOLVE' }, { type: 'CLOSE' }],
};
const COMMANDS: Record<Exclude<TicketCommandType, 'SLA_STAGE_REACHED' | 'RECORD_SATISFACTION'>, TicketCommand> = {
  ASSIGN: { type: 'ASSIGN', assigneeId: 'A2' },
  START: { type: 'START' },
  AWAIT_CUSTOMER: { type: 'AWAIT_CUSTOMER' },
  CUSTOMER_REPLIED: { type: 'CUSTOMER_REPLIED' },
  RESOLVE: { type: 'RESOLVE' },
  CLOSE: { type: 'CLOSE' },
  REOPEN: { type: 'REOPEN' },
};
const stages = (timers: SlaTimerEffect[]) => timers.map((t) => `${t.kind} ${t.timer} ${t.stage}`);

describe('opening a ticket', () => {
  it('is NEW, unassigned, at its priority, both clocks running with every stage scheduled at its fraction', () => {
    const { ticket, events, timers } = opened({ tier: 'GOLD', channel: 'APP', interactionId: 'I1' });
    expect(ticket).toMatchObject({ status: 'NEW', priority: 'P1', queue: 'CARDS', surveyRequested: false, reopenedCount: 0 });
    expect(ticket.assigneeId).toBeUndefined();
    expect(events).toEqual([{ type: 'TicketOpened', payload: { customerId: 'C1', ticketId: 'T1', category: 'COMPLAINT', queue: 'CARDS', priority: 'P1', channel: 'APP', interactionId: 'I1' } }]);
    expect(timers.map((t) => t.kind === 'SCHEDULE' && [t.timer, t.stage, t.fraction, t.targetMinutes, t.basis])).toEqual([
      ['FIRST_RESPONSE', 'WARN', 0.8, 15, 'AROUND_THE_CLOCK'],
      ['FIRST_RESPONSE', 'BREACH', 1, 15, 'AROUND_THE_CLOCK'],
      ['FIRST_RESPONSE', 'BREACH_2X', 2, 15, 'AROUND_THE_CLOCK'],
      ['RESOLUTION', 'WARN', 0.8, 240, 'AROUND_THE_CLOCK'],
      ['RESOLUTION', 'BREACH', 1, 240, 'AROUND_THE_CLOCK'],
      ['RESOLUTION', 'BREACH_2X', 2, 240, 'AROUND_THE_CLOCK'],
    ]);
    expect(timers[0]).toMatchObject({ clock: { runningSince: T0, spans: [] }, escalateTo: { queue: 'CARDS' } });
  });

  it('a MASS complaint is P2 on the queue calendar', () => {
    const { timers } = opened({ tier: 'MASS' });
    expect(timers[0]).toMatchObject({ targetMinutes: 60, basis: 'QUEUE_CALENDAR' });
  });
});

describe('what each status accepts (a 409 lists the rest)', () => {
  const cases = TICKET_STATUSES.flatMap((status) => (Object.keys(COMMANDS) as (keyof typeof COMMANDS)[]).map((type) => [status, type, ALLOWED_COMMANDS[status].includes(type)] as const));
  it.each(cases)('%s, %s: accepted %s', (status, type, accepted) => {
    const { ticket } = run(TO[status]);
    expect(ticket.status).toBe(status);
    const outcome = transitionTicket(ticket, COMMANDS[type], min(10), RULES);
    expect(outcome.ok).toBe(accepted);
    if (!outcome.ok) {
      expect(outcome).toMatchObject({ refusal: 'NOT_ALLOWED_IN_STATUS', status, command: type, allowed: ALLOWED_COMMANDS[status] });
      expect(outcome.ticket).toBe(ticket);
    }
  });

  it.each<[TicketStatus, TicketCommandType, TicketStatus]>([
    ['NEW', 'ASSIGN', 'ASSIGNED'],
    ['ASSIGNED', 'ASSIGN', 'ASSIGNED'],
    ['ASSIGNED', 'START', 'IN_PROGRESS'],
    ['IN_PROGRESS', 'ASSIGN', 'IN_PROGRESS'],
    ['IN_PROGRESS', 'AWAIT_CUSTOMER', 'PENDING_CUSTOMER'],
    ['IN_PROGRESS', 'RESOLVE', 'RESOLVED'],
    ['PENDING_CUSTOMER', 'ASSIGN', 'PENDING_CUSTOMER'],
    ['PENDING_CUSTOMER', 'CUSTOMER_REPLIED', 'IN_PROGRESS'],
    ['PENDING_CUSTOMER', 'RESOLVE', 'RESOLVED'],
    ['RESOLVED', 'CLOSE', 'CLOSED'],
    ['RESOLVED', 'REOPEN', 'IN_PROGRESS'],
  ])('%s, %s → %s', (from, type, to) => {
    const outcome = transitionTicket(run(TO[from]).ticket, COMMANDS[type as keyof typeof COMMANDS], min(10), RULES);
    expect(outcome.ok && outcome.ticket.status).toBe(to);
  });
});

const moved = (from: TicketStatus, to: TicketStatus) => ({ type: 'TicketStatusChanged', payload: { customerId: 'C1', ticketId: 'T1', from, to } });

describe('the events each transition publishes', () => {
  it.each<[string, TicketCommand[], TicketCommand, unknown[]]>([
    ['assign', [], ASSIGN, [moved('NEW', 'ASSIGNED'), { type: 'TicketAssigned', payload: { customerId: 'C1', ticketId: 'T1', assigneeId: 'A1', queue: 'CARDS' } }]],
    ['reassign to another queue', [ASSIGN], { type: 'ASSIGN', assigneeId: 'A9', queue: 'LOANS' }, [{ type: 'TicketAssigned', payload: { customerId: 'C1', ticketId: 'T1', assigneeId: 'A9', queue: 'LOANS' } }]],
    ['assign the same agent again: nothing', [ASSIGN], ASSIGN, []],
    ['start', [ASSIGN], { type: 'START' }, [moved('ASSIGNED', 'IN_PROGRESS')]],
    ['resolve without a survey', TO.IN_PROGRESS, { type: 'RESOLVE', resolution: 'card replaced' }, [moved('IN_PROGRESS', 'RESOLVED'), { type: 'TicketResolved', payload: { customerId: 'C1', ticketId: 'T1', resolution: 'card replaced' } }]],
    [
      'resolve with a survey',
      TO.IN_PROGRESS,
      { type: 'RESOLVE', survey: { channel: 'sms', messageId: 'M1' } },
      [
        moved('IN_PROGRESS', 'RESOLVED'),
        { type: 'TicketResolved', payload: { customerId: 'C1', ticketId: 'T1' } },
        { type: 'SurveyRequested', payload: { customerId: 'C1', ticketId: 'T1', channel: 'sms', messageId: 'M1' } },
      ],
    ],
    [
      'resolve again after a reopen: no second survey',
      [...TO.IN_PROGRESS, { type: 'RESOLVE', survey: { channel: 'sms', messageId: 'M1' } }, { type: 'REOPEN' }],
      { type: 'RESOLVE', survey: { channel: 'sms', messageId: 'M2' } },
      [moved('IN_PROGRESS', 'RESOLVED'), { type: 'TicketResolved', payload: { customerId: 'C1', ticketId: 'T1' } }],
    ],
    ['close', TO.RESOLVED, { type: 'CLOSE' }, [moved('RESOLVED', 'CLOSED'), { type: 'TicketClosed', payload: { customerId: 'C1', ticketId: 'T1' } }]],
    ['reopen', TO.RESOLVED, { type: 'REOPEN', reason: 'card still blocked' }, [moved('RESOLVED', 'IN_PROGRESS'), { type: 'TicketReopened', payload: { customerId: 'C1', ticketId: 'T1', reason: 'card still blocked' } }]],
    ['warn: nothing published', [], { type: 'SLA_STAGE_REACHED', timer: 'FIRST_RESPONSE', stage: 'WARN' }, []],
    ['breach: level 1', [], { type: 'SLA_STAGE_REACHED', timer: 'FIRST_RESPONSE', stage: 'BREACH' }, [{ type: 'TicketEscalated', payload: { customerId: 'C1', ticketId: 'T1', level: 1, reason: 'P2 first response target of 60 min breached' } }]],
    ['2× breach: level 2', TO.IN_PROGRESS, { type: 'SLA_STAGE_REACHED', timer: 'RESOLUTION', stage: 'BREACH_2X' }, [{ type: 'TicketEscalated', payload: { customerId: 'C1', ticketId: 'T1', level: 2, reason: 'P2 resolution target of 1440 min breached twice over' } }]],
  ])('%s', (_, before, command, events) => {
    const { ticket } = run(before);
    const outcome = transitionTicket(ticket, command, min(100), RULES);
    expect(outcome.ok && outcome.events).toEqual(events);
  });

  it('records every step that changed the ticket with who and when, and names who in the events', () => {
    const open = opened().ticket;
    const assigned = transitionTicket(open, { type: 'ASSIGN', assigneeId: 'A1' }, min(1), RULES, 'sup-1');
    if (!assigned.ok) throw new Error('refused');
    expect(assigned.events).toEqual([
      { type: 'TicketStatusChanged', payload: { customerId: 'C1', ticketId: 'T1', from: 'NEW', to: 'ASSIGNED', by: 'sup-1' } },
      { type: 'TicketAssigned', payload: { customerId: 'C1', ticketId: 'T1', assigneeId: 'A1', queue: 'CARDS', by: 'sup-1' } },
    ]);
    const same = transitionTicket(assigned.ticket, { type: 'ASSIGN', assigneeId: 'A1' }, min(2), RULES, 'sup-1');
    const started = transitionTicket(assigned.ticket, { type: 'START' }, min(3), RULES, 'A1');
    const warned = started.ok && transitionTicket(started.ticket, { type: 'SLA_STAGE_REACHED', timer: 'RESOLUTION', stage: 'WARN' }, min(4), RULES);
    expect(same.ok && same.ticket).toBe(assigned.ticket);
    expect(warned && warned.ok && warned.ticket.history).toEqual([
      { at: min(1), command: 'ASSIGN', by: 'sup-1', from: 'NEW', to: 'ASSIGNED', detail: 'A1@CARDS' },
      { at: min(3), command: 'START', by: 'A1', from: 'ASSIGNED', to: 'IN_PROGRESS' },
      { at: min(4), command: 'SLA_STAGE_REACHED', from: 'IN_PROGRESS', to: 'IN_PROGRESS', detail: 'RESOLUTION:WARN' },
    ]);
  });

  it('the survey flag is set once, and only when a survey went out', () => {
    expect(run([...TO.IN_PROGRESS, { type: 'RESOLVE' }]).ticket.surveyRequested).toBe(false);
    expect(run([...TO.IN_PROGRESS, { type: 'RESOLVE', survey: { channel: 'email', messageId: 'M1' } }]).ticket.surveyRequested).toBe(true);
  });
});

describe('the SLA clocks as data', () => {
  it('assign retargets the running clocks\' jobs to the agent, keeping their deadlines', () => {
    const { last } = run([ASSIGN]);
    expect(last.timers).toHaveLength(6);
    expect(last.timers.every((t) => t.kind === 'RETARGET' && t.escalateTo.assigneeId === 'A1' && t.escalateTo.queue === 'CARDS')).toBe(true);
  });

  it('start stops first response: its jobs are cancelled, the span recorded, the response time kept', () => {
    const { ticket, last } = run(TO.IN_PROGRESS);
    expect(stages(last.timers)).toEqual(['CANCEL FIRST_RESPONSE WARN', 'CANCEL FIRST_RESPONSE BREACH', 'CANCEL FIRST_RESPONSE BREACH_2X']);
    expect(ticket.clocks.FIRST_RESPONSE).toEqual({ status: 'STOPPED', spans: [{ from: T0, to: min(2) }], stoppedAt: min(2), reached: [] });
    expect(ticket.firstRespondedAt).toEqual(min(2));
    expect(ticket.clocks.RESOLUTION.status).toBe('RUNNING');
  });

  it('a stage reached before the response is not cancelled again', () => {
    const { last } = run([{ type: 'SLA_STAGE_REACHED', timer: 'FIRST_RESPONSE', stage: 'WARN' }, ASSIGN, { type: 'START' }]);
    expect(stages(last.timers)).toEqual(['CANCEL FIRST_RESPONSE BREACH', 'CANCEL FIRST_RESPONSE BREACH_2X']);
  });

  it('PENDING_CUSTOMER pauses the running clock (resolution); leaving it schedules its stages again from the spans so far', () => {
    const paused = run(TO.PENDING_CUSTOMER);
    expect(stages(paused.last.timers)).toEqual(['CANCEL RESOLUTION WARN', 'CANCEL RESOLUTION BREACH', 'CANCEL RESOLUTION BREACH_2X']);
    expect(paused.ticket.clocks.RESOLUTION).toEqual({ status: 'PAUSED', spans: [{ from: T0, to: min(3) }], pausedSince: min(3), reached: [] });
    const resumed = transitionTicket(paused.ticket, { type: 'CUSTOMER_REPLIED' }, min(60), RULES);
    if (!resumed.ok) throw new Error('refused');
    expect(stages(resumed.timers)).toEqual(['SCHEDULE RESOLUTION WARN', 'SCHEDULE RESOLUTION BREACH', 'SCHEDULE RESOLUTION BREACH_2X']);
    expect(resumed.timers[0]).toMatchObject({ fraction: 0.8, targetMinutes: 1440, clock: { runningSince: min(60), spans: [{ from: T0, to: min(3) }] }, escalateTo: { queue: 'CARDS', assigneeId: 'A1' } });
    expect(resumed.ticket.clocks.FIRST_RESPONSE.status).toBe('STOPPED');
  });

  it('pausing before a response is impossible (PENDING_CUSTOMER follows IN_PROGRESS), so first response is never paused', () => {
    expect(transitionTicket(run([ASSIGN]).ticket, { type: 'AWAIT_CUSTOMER' }, min(5), RULES).ok).toBe(false);
  });

  it('resolve stops resolution and cancels its jobs; from PENDING_CUSTOMER there are none left to cancel', () => {
    expect(stages(run(TO.RESOLVED).last.timers)).toEqual(['CANCEL RESOLUTION WARN', 'CANCEL RESOLUTION BREACH', 'CANCEL RESOLUTION BREACH_2X']);
    const fromPending = run([...TO.PENDING_CUSTOMER, { type: 'RESOLVE' }]);
    expect(fromPending.last.timers).toEqual([]);
    expect(fromPending.ticket.clocks.RESOLUTION).toEqual({ status: 'STOPPED', spans: [{ from: T0, to: min(3) }], stoppedAt: min(4), reached: [] });
  });

  it('a reopen resumes resolution for its pending stages only; first response stays stopped', () => {
    const { ticket, last } = run([...TO.IN_PROGRESS, { type: 'SLA_STAGE_REACHED', timer: 'RESOLUTION', stage: 'WARN' }, { type: 'RESOLVE' }, { type: 'REOPEN' }]);
    expect(stages(last.timers)).toEqual(['SCHEDULE RESOLUTION BREACH', 'SCHEDULE RESOLUTION BREACH_2X']);
    expect(ticket.clocks.RESOLUTION).toEqual({ status: 'RUNNING', spans: [{ from: T0, to: min(4) }], runningSince: min(5), reached: ['WARN'] });
    expect(ticket.clocks.FIRST_RESPONSE.status).toBe('STOPPED');
    expect(ticket.resolvedAt).toBeUndefined();
    expect(ticket.reopenedCount).toBe(1);
  });

  it.each<[string, TicketCommand[], TicketCommand]>([
    ['a stopped clock\'s job', TO.IN_PROGRESS, { type: 'SLA_STAGE_REACHED', timer: 'FIRST_RESPONSE', stage: 'BREACH' }],
    ['a paused clock\'s job', TO.PENDING_CUSTOMER, { type: 'SLA_STAGE_REACHED', timer: 'RESOLUTION', stage: 'WARN' }],
    ['a stage reached twice', [{ type: 'SLA_STAGE_REACHED', timer: 'RESOLUTION', stage: 'WARN' }], { type: 'SLA_STAGE_REACHED', timer: 'RESOLUTION', stage: 'WARN' }],
    ['a closed ticket\'s job', TO.CLOSED, { type: 'SLA_STAGE_REACHED', timer: 'RESOLUTION', stage: 'BREACH' }],
  ])('%s is refused as stale, the ticket unchanged', (_, before, command) => {
    const { ticket } = run(before);
    const outcome = transitionTicket(ticket, command, min(100), RULES);
    expect(outcome).toMatchObject({ ok: false, refusal: 'CLOCK_NOT_RUNNING', ticket });
  });
});

describe('the reopen window (DOMAIN.md: within 7 days of the resolution)', () => {
  const resolved = run(TO.RESOLVED).ticket; // resolved at T0 + 3 min
  it.each<[string, number, boolean]>([
    ['at once', 3, true],
    ['six days on', 3 + 6 * DAY, true],
    ['exactly seven days on', 3 + 7 * DAY, true],
    ['seven days and a minute on', 4 + 7 * DAY, false],
  ])('%s: reopened %s', (_, minutes, ok) => {
    const outcome = transitionTicket(resolved, { type: 'REOPEN' }, min(minutes), RULES);
    expect(outcome.ok).toBe(ok);
    if (!outcome.ok) expect(outcome).toMatchObject({ refusal: 'REOPEN_WINDOW_PASSED', ticket: resolved, allowed: ['CLOSE', 'REOPEN'] });
  });

  it('a closed ticket never reopens', () => {
    expect(transitionTicket(run(TO.CLOSED).ticket, { type: 'REOPEN' }, min(10), RULES)).toMatchObject({ ok: false, refusal: 'NOT_ALLOWED_IN_STATUS', allowed: [] });
  });
});

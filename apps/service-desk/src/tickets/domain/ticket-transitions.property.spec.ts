import fc from 'fast-check';
import { TICKET_QUEUES } from '@meridian/events';
import { DEFAULT_SERVICE_DESK_RULES as RULES } from './service-desk-rules';
import { openTicket } from './open-ticket';
import { SLA_STAGES, SLA_TIMERS, Ticket, TicketStatus } from './ticket';
import { TicketCommand, transitionTicket } from './ticket-transitions';

const T0 = new Date('2026-03-02T09:00:00+08:00');
const DAY_MS = 24 * 60 * 60 * 1000;

/** The state diagram of DOMAIN.md, as the edges a ticket may take (a self-edge: reassignment, a stage reached, a survey answered). */
const EDGES = new Set([
  'NEW>NEW', 'NEW>ASSIGNED',
  'ASSIGNED>ASSIGNED', 'ASSIGNED>IN_PROGRESS',
  'IN_PROGRESS>IN_PROGRESS', 'IN_PROGRESS>PENDING_CUSTOMER', 'IN_PROGRESS>RESOLVED',
  'PENDING_CUSTOMER>PENDING_CUSTOMER', 'PENDING_CUSTOMER>IN_PROGRESS', 'PENDING_CUSTOMER>RESOLVED',
  'RESOLVED>RESOLVED', 'RESOLVED>CLOSED', 'RESOLVED>IN_PROGRESS', 'CLOSED>CLOSED',
]);

/** Every command about equally often (the happy path's steps must come up, in order, within a sequence). */
const command: fc.Arbitrary<TicketCommand> = fc.oneof(
  fc.record({ type: fc.constant('ASSIGN' as const), assigneeId: fc.constantFrom('A1', 'A2', 'A3'), queue: fc.option(fc.constantFrom(...TICKET_QUEUES), { nil: undefined }) }),
  fc.constant<TicketCommand>({ type: 'START' }),
  fc.constant<TicketCommand>({ type: 'AWAIT_CUSTOMER' }),
  fc.constant<TicketCommand>({ type: 'CUSTOMER_REPLIED' }),
  fc.constant<TicketCommand>({ type: 'CLOSE' }),
  fc.constant<TicketCommand>({ type: 'REOPEN' }),
  fc.record({ type: fc.constant('RESOLVE' as const), survey: fc.option(fc.record({ channel: fc.constantFrom('sms' as const, 'email' as const), messageId: fc.uuid() }), { nil: undefined }) }),
  fc.record({ type: fc.constant('SLA_STAGE_REACHED' as const), timer: fc.constantFrom(...SLA_TIMERS), stage: fc.constantFrom(...SLA_STAGES) }),
  fc.record({ type: fc.constant('RECORD_SATISFACTION' as const), csat: fc.integer({ min: 1, max: 5 }), nps: fc.integer({ min: 0, max: 10 }) }),
);
/** Minutes between commands: often none or a few, sometimes days (across the reopen window). */
const gap = fc.oneof(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 12 * 24 * 60 }));
const steps = fc.array(fc.tuple(command, gap), { maxLength: 60 });

/** What must hold of any ticket the machine hands back, whatever led to it. */
function consistent(t: Ticket) {
  const fr = t.clocks.FIRST_RESPONSE.status;
  const res = t.clocks.RESOLUTION.status;
  const expected: Record<TicketStatus, [string[], string[]]> = {
    NEW: [['RUNNING'], ['RUNNING']],
    ASSIGNED: [['RUNNING'], ['RUNNING']],
    IN_PROGRESS: [['STOPPED'], ['RUNNING']],
    PENDING_CUSTOMER: [['STOPPED'], ['PAUSED']],
    RESOLVED: [['STOPPED'], ['STOPPED']],
    CLOSED: [['STOPPED'], ['STOPPED']],
  };
  expect([t.status, expected[t.status][0].includes(fr), expected[t.status][1].includes(res)]).toEqual([t.status, true, true]);
  expect(t.assigneeId === undefined).toBe(t.status === 'NEW');
  expect(t.resolvedAt !== undefined).toBe(t.status === 'RESOLVED' || t.status === 'CLOSED');
  expect(t.closedAt !== undefined).toBe(t.status === 'CLOSED');
  expect(t.firstRespondedAt !== undefined).toBe(fr === 'STOPPED');
}

describe('the ticket state machine, under any sequence of requested transitions', () => {
  it('stays on the diagram, keeps its ticket consistent, reopens exactly within the window, and a refused transition changes nothing', () => {
    fc.assert(
      fc.property(steps, (sequence) => {
        let { ticket } = openTicket({ ticketId: 'T', customerId: 'C', classification: { category: 'DISPUTE', queue: 'CARDS', tableVersion: 1 } }, T0, RULES);
        let at = T0.getTime();
        for (const [cmd, minutes] of sequence) {
          at += minutes * 60_000;
          const before = structuredClone(ticket);
          const outcome = transitionTicket(ticket, cmd, new Date(at), RULES);
          expect(ticket).toEqual(before); // never mutated
          if (cmd.type === 'REOPEN' && ticket.status === 'RESOLVED') expect(outcome.ok).toBe(at - (ticket.resolvedAt as Date).getTime() <= RULES.reopenWindowDays * DAY_MS);
          if (!outcome.ok) {
            expect(outcome.ticket).toBe(ticket);
            if (outcome.refusal === 'NOT_ALLOWED_IN_STATUS') expect(outcome.allowed).not.toContain(cmd.type);
          } else {
            expect(EDGES.has(`${ticket.status}>${outcome.ticket.status}`)).toBe(true);
            ticket = outcome.ticket;
          }
          consistent(ticket);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never restarts the first-response clock once stopped, nor moves the response time, nor schedules or retargets its jobs', () => {
    fc.assert(
      fc.property(steps, (sequence) => {
        let { ticket } = openTicket({ ticketId: 'T', customerId: 'C', classification: { category: 'INQUIRY', queue: 'GENERAL', tableVersion: 1 } }, T0, RULES);
        let at = T0.getTime();
        let stopped: Ticket['clocks']['FIRST_RESPONSE'] | undefined;
        for (const [cmd, minutes] of sequence) {
          at += minutes * 60_000;
          const outcome = transitionTicket(ticket, cmd, new Date(at), RULES);
          if (!outcome.ok) continue;
          if (stopped) {
            expect(outcome.ticket.clocks.FIRST_RESPONSE).toEqual(stopped);
            expect(outcome.ticket.firstRespondedAt).toEqual(stopped.stoppedAt);
            expect(outcome.timers.filter((t) => t.timer === 'FIRST_RESPONSE')).toEqual([]);
          }
          ticket = outcome.ticket;
          if (ticket.clocks.FIRST_RESPONSE.status === 'STOPPED') stopped ??= ticket.clocks.FIRST_RESPONSE;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the jobs it asks for exactly the pending stages of the running clocks, and sends at most one survey', () => {
    fc.assert(
      fc.property(steps, (sequence) => {
        const open = openTicket({ ticketId: 'T', customerId: 'C', classification: { category: 'COMPLAINT', queue: 'LOANS', tableVersion: 1 } }, T0, RULES);
        let ticket = open.ticket;
        const jobs = new Set<string>();
        const apply = (timers: typeof open.timers) => {
          for (const t of timers) {
            const key = `${t.timer}:${t.stage}`;
            if (t.kind === 'SCHEDULE') expect(jobs.has(key)).toBe(false);
            else expect(jobs.has(key)).toBe(true);
            if (t.kind === 'SCHEDULE') jobs.add(key);
            if (t.kind === 'CANCEL') jobs.delete(key);
          }
        };
        apply(open.timers);
        let surveys = 0;
        let answers = 0;
        let at = T0.getTime();
        for (const [cmd, minutes] of sequence) {
          at += minutes * 60_000;
          const outcome = transitionTicket(ticket, cmd, new Date(at), RULES);
          if (!outcome.ok) continue;
          if (cmd.type === 'SLA_STAGE_REACHED') {
            expect(jobs.delete(`${cmd.timer}:${cmd.stage}`)).toBe(true); // only a job that was there fires
          }
          apply(outcome.timers);
          surveys += outcome.events.filter((e) => e.type === 'SurveyRequested').length;
          answers += outcome.events.filter((e) => e.type === 'SatisfactionRecorded').length;
          // An answer only after its survey, and only the first.
          if (cmd.type === 'RECORD_SATISFACTION') expect([ticket.surveyRequested, ticket.satisfaction]).toEqual([true, undefined]);
          ticket = outcome.ticket;
          const pending = SLA_TIMERS.flatMap((timer) => (ticket.clocks[timer].status === 'RUNNING' ? SLA_STAGES.filter((s) => !ticket.clocks[timer].reached.includes(s)).map((s) => `${timer}:${s}`) : []));
          expect([...jobs].sort()).toEqual(pending.sort());
        }
        expect(surveys).toBeLessThanOrEqual(1);
        expect(surveys === 1).toBe(ticket.surveyRequested);
        expect(answers).toBeLessThanOrEqual(surveys);
        expect(answers === 1).toBe(ticket.satisfaction !== undefined);
      }),
      { numRuns: 300 },
    );
  });
});

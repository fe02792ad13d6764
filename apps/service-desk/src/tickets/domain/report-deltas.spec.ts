import { openTicket } from './open-ticket';
import { reportDeltas } from './report-deltas';
import { DEFAULT_SERVICE_DESK_RULES as RULES } from './service-desk-rules';
import { Ticket } from './ticket';
import { TicketCommand, transitionTicket } from './ticket-transitions';

const T0 = new Date('2026-03-02T10:00:00+08:00');
const min = (n: number) => new Date(T0.getTime() + n * 60_000);
const complaint = openTicket({ ticketId: 'T1', customerId: 'C1', classification: { category: 'COMPLAINT', queue: 'GENERAL', tableVersion: 1, topic: { ruleId: 'general.branch', phrase: '柜台' } } }, T0, RULES).ticket;

function step(t: Ticket, c: TicketCommand, at: Date): Ticket {
  const o = transitionTicket(t, c, at, RULES, 'A1');
  if (!o.ok) throw new Error(`${c.type} refused`);
  return o.ticket;
}
const moves = (before: Ticket | undefined, after: Ticket) => reportDeltas(before, after).map((d) => `${d.scope} ${d.field} ${d.by}`);

describe('what each write adds to the service desk reports', () => {
  it('an opening counts its category, and a complaint its topic', () => {
    expect(moves(undefined, complaint)).toEqual(['categories COMPLAINT 1', 'topics general.branch|柜台 1']);
  });

  it('the first response and the first resolution count once, within target, with the handling time and the agent’s first-contact resolution', () => {
    const assigned = step(complaint, { type: 'ASSIGN', assigneeId: 'A1' }, min(5));
    const started = step(assigned, { type: 'START' }, min(10));
    expect(moves(complaint, assigned)).toEqual([]);
    expect(moves(assigned, started)).toEqual(['sla:GENERAL:P2 responded 1', 'sla:GENERAL:P2 respondedInTarget 1']);
    const resolved = step(started, { type: 'RESOLVE' }, min(70));
    expect(moves(started, resolved)).toEqual(['sla:GENERAL:P2 resolved 1', 'sla:GENERAL:P2 resolvedInTarget 1', 'sla:GENERAL:P2 handlingMs 4200000', 'agent:A1 resolved 1', 'agent:A1 handlingMs 4200000', 'agent:A1 firstContact 1']);
    // A reopen takes the first-contact resolution back; resolving again counts nothing more.
    const reopened = step(resolved, { type: 'REOPEN' }, min(80));
    expect(moves(resolved, reopened)).toEqual(['sla:GENERAL:P2 reopened 1', 'agent:A1 firstContact -1']);
    expect(moves(reopened, step(reopened, { type: 'RESOLVE' }, min(90)))).toEqual([]);
  });

  it('a breached clock is outside its target; waiting on the customer is no first-contact resolution', () => {
    const started = step(step(complaint, { type: 'ASSIGN', assigneeId: 'A1' }, min(5)), { type: 'START' }, min(10));
    const breached = step(step(started, { type: 'SLA_STAGE_REACHED', timer: 'RESOLUTION', stage: 'WARN' }, min(20)), { type: 'SLA_STAGE_REACHED', timer: 'RESOLUTION', stage: 'BREACH' }, min(30));
    const waited = step(step(breached, { type: 'AWAIT_CUSTOMER' }, min(40)), { type: 'CUSTOMER_REPLIED' }, min(50));
    expect(moves(waited, step(waited, { type: 'RESOLVE' }, min(60)))).toEqual(['sla:GENERAL:P2 resolved 1', 'sla:GENERAL:P2 handlingMs 3600000', 'agent:A1 resolved 1', 'agent:A1 handlingMs 3600000']);
  });

  it('the survey’s answer counts CSAT and NPS for the queue and the agent', () => {
    const resolved = step(step(step(complaint, { type: 'ASSIGN', assigneeId: 'A1' }, min(5)), { type: 'START' }, min(10)), { type: 'RESOLVE', survey: { channel: 'sms', messageId: 'M' } }, min(20));
    const answered = step(resolved, { type: 'RECORD_SATISFACTION', csat: 4, nps: 9 }, min(30));
    expect(moves(resolved, answered)).toEqual(['sla:GENERAL:P2 csatSum 4', 'sla:GENERAL:P2 csatAnswers 1', 'sla:GENERAL:P2 npsPromoters 1', 'sla:GENERAL:P2 npsAnswers 1', 'agent:A1 csatSum 4', 'agent:A1 csatAnswers 1', 'agent:A1 npsPromoters 1', 'agent:A1 npsAnswers 1']);
  });
});

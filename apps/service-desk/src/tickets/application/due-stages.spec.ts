import { TICKET_QUEUES, TicketQueue } from '@meridian/events';
import { BusinessCalendar } from '../../calendars/domain/business-calendar';
import { chinaBusinessCalendar } from '../../calendars/domain/china-holidays';
import { openTicket } from '../domain/open-ticket';
import { DEFAULT_SERVICE_DESK_RULES as RULES } from '../domain/service-desk-rules';
import { reachDueStages } from './due-stages';
import { SlaCalendars } from './sla-calendars';

const calendars = new SlaCalendars(Object.fromEntries(TICKET_QUEUES.map((q) => [q, chinaBusinessCalendar()])) as Record<TicketQueue, BusinessCalendar>);
const T0 = new Date('2026-03-02T10:00:00+08:00');
const plus = (min: number) => new Date(T0.getTime() + min * 60_000);
const cardLoss = openTicket({ ticketId: 'T1', customerId: 'C1', classification: { category: 'CARD_LOSS', queue: 'CARDS', tableVersion: 1 } }, T0, RULES).ticket;

describe('catching up on the SLA stages already due', () => {
  it('reaches every due stage in order, each at its own instant, and cancels its job', () => {
    // P1: first response 15 min (warn 12, level 2 at 30), resolution 240 min (warn 192).
    const { ticket, steps } = reachDueStages(cardLoss, plus(200), RULES, calendars);
    expect(steps.map((s) => [s.ticket.history.at(-1)?.detail, s.occurredAt])).toEqual([
      ['FIRST_RESPONSE:WARN', plus(12).toISOString()],
      ['FIRST_RESPONSE:BREACH', plus(15).toISOString()],
      ['FIRST_RESPONSE:BREACH_2X', plus(30).toISOString()],
      ['RESOLUTION:WARN', plus(192).toISOString()],
    ]);
    expect(steps.flatMap((s) => s.events.map((e) => e.type === 'TicketEscalated' && e.payload.level))).toEqual([1, 2]);
    expect(steps.flatMap((s) => s.timers)).toEqual([
      { kind: 'CANCEL', timer: 'FIRST_RESPONSE', stage: 'WARN', runningSince: T0 },
      { kind: 'CANCEL', timer: 'FIRST_RESPONSE', stage: 'BREACH', runningSince: T0 },
      { kind: 'CANCEL', timer: 'FIRST_RESPONSE', stage: 'BREACH_2X', runningSince: T0 },
      { kind: 'CANCEL', timer: 'RESOLUTION', stage: 'WARN', runningSince: T0 },
    ]);
    expect([ticket.clocks.FIRST_RESPONSE.reached, ticket.clocks.RESOLUTION.reached]).toEqual([['WARN', 'BREACH', 'BREACH_2X'], ['WARN']]);
    // Nothing is due twice.
    expect(reachDueStages(ticket, plus(200), RULES, calendars).steps).toEqual([]);
  });

  it('a job reaches its clock’s stages up to its own, and does not cancel itself', () => {
    const { steps } = reachDueStages(cardLoss, plus(200), RULES, calendars, { timer: 'FIRST_RESPONSE', stage: 'BREACH' });
    expect(steps.map((s) => s.ticket.history.at(-1)?.detail)).toEqual(['FIRST_RESPONSE:WARN', 'FIRST_RESPONSE:BREACH']);
    expect(steps.flatMap((s) => s.timers)).toEqual([{ kind: 'CANCEL', timer: 'FIRST_RESPONSE', stage: 'WARN', runningSince: T0 }]);
  });

  it('reaches nothing before its instant', () => {
    expect(reachDueStages(cardLoss, plus(11.99), RULES, calendars).steps).toEqual([]);
  });
});

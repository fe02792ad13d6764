import { TICKET_QUEUES, TicketQueue } from '@meridian/events';
import { BusinessCalendar } from '../../calendars/domain/business-calendar';
import { chinaBusinessCalendar } from '../../calendars/domain/china-holidays';
import { openTicket } from '../domain/open-ticket';
import { DEFAULT_SERVICE_DESK_RULES as RULES } from '../domain/service-desk-rules';
import { scheduleTimer } from '../domain/sla-timer-plan';
import { transitionTicket } from '../domain/ticket-transitions';
import { SlaCalendars } from './sla-calendars';
import { ScheduledStage, stageDueAt } from './sla-stage-due';

const china = chinaBusinessCalendar();
const calendars = new SlaCalendars(Object.fromEntries(TICKET_QUEUES.map((q) => [q, china])) as Record<TicketQueue, BusinessCalendar>);
const at = (iso: string) => new Date(iso);

function stages(category: 'CARD_LOSS' | 'COMPLAINT', openedAt: string) {
  const { ticket, timers } = openTicket({ ticketId: 'T1', customerId: 'C1', classification: { category, queue: 'CARDS', tableVersion: 1 } }, at(openedAt), RULES);
  return { ticket, timers: timers as ScheduledStage[] };
}
const due = (timers: ScheduledStage[], timer: string, stage: string) => stageDueAt(timers.find((t) => t.timer === timer && t.stage === stage) as ScheduledStage, calendars).toISOString();

describe('when an SLA stage falls due', () => {
  it('P1 runs around the clock: a card loss at 23:50 on a Saturday warns at 80 % of 15 min, breaches at 15, level 2 at 30', () => {
    const { timers } = stages('CARD_LOSS', '2026-03-07T23:50:00+08:00');
    expect(due(timers, 'FIRST_RESPONSE', 'WARN')).toBe('2026-03-07T16:02:00.000Z');
    expect(due(timers, 'FIRST_RESPONSE', 'BREACH')).toBe('2026-03-07T16:05:00.000Z');
    expect(due(timers, 'FIRST_RESPONSE', 'BREACH_2X')).toBe('2026-03-07T16:20:00.000Z');
    expect(due(timers, 'RESOLUTION', 'BREACH')).toBe('2026-03-07T19:50:00.000Z');
  });

  it('P2 counts working time: a complaint at 17:00 on a Friday warns at 09:18 on Monday (48 min: 30 on Friday, 18 on Monday), within service hours', () => {
    const { timers } = stages('COMPLAINT', '2026-03-06T17:00:00+08:00');
    expect(due(timers, 'FIRST_RESPONSE', 'WARN')).toBe('2026-03-09T01:18:00.000Z');
    expect(due(timers, 'FIRST_RESPONSE', 'BREACH')).toBe('2026-03-09T01:30:00.000Z');
  });

  it('P2 skips the Spring Festival holiday and counts its make-up Saturday (2026-02-28 works, 02-15..02-23 do not)', () => {
    const { timers } = stages('COMPLAINT', '2026-02-13T17:00:00+08:00');
    expect(china.holidays).toContain('2026-02-16');
    expect(china.makeUpWorkdays).toContain('2026-02-14');
    // Friday 13th 17:00–17:30 counts 30 min; Saturday 14th is a make-up working day: the rest (30) by 09:30.
    expect(due(timers, 'FIRST_RESPONSE', 'BREACH')).toBe('2026-02-14T01:30:00.000Z');
  });

  it('a clock that paused counts only its running spans: the stage moves later by the pause', () => {
    const { ticket } = stages('CARD_LOSS', '2026-03-02T10:00:00+08:00');
    const steps = [
      { type: 'ASSIGN', assigneeId: 'A1' },
      { type: 'START' },
      { type: 'AWAIT_CUSTOMER' },
      { type: 'CUSTOMER_REPLIED' },
    ] as const;
    const times = ['2026-03-02T10:01:00+08:00', '2026-03-02T10:02:00+08:00', '2026-03-02T10:30:00+08:00', '2026-03-02T12:30:00+08:00'];
    const last = steps.reduce((t, c, i) => {
      const o = transitionTicket(t, c, at(times[i]), RULES);
      if (!o.ok) throw new Error('refused');
      return o.ticket;
    }, ticket);
    const resolution = scheduleTimer(last, 'RESOLUTION', RULES) as ScheduledStage[];
    // 30 min ran before the pause; the rest of 4 h (210 min) from 12:30 is 16:00.
    expect(due(resolution, 'RESOLUTION', 'BREACH')).toBe('2026-03-02T08:00:00.000Z');
  });

  it('a stage whose share was used up before the pause is due the moment the clock runs again', () => {
    const { ticket } = stages('CARD_LOSS', '2026-03-02T10:00:00+08:00');
    const o1 = transitionTicket(ticket, { type: 'ASSIGN', assigneeId: 'A1' }, at('2026-03-02T10:01:00+08:00'), RULES);
    const o2 = o1.ok && transitionTicket(o1.ticket, { type: 'START' }, at('2026-03-02T10:02:00+08:00'), RULES);
    const o3 = o2 && o2.ok && transitionTicket(o2.ticket, { type: 'AWAIT_CUSTOMER' }, at('2026-03-02T14:00:00+08:00'), RULES);
    const o4 = o3 && o3.ok && transitionTicket(o3.ticket, { type: 'CUSTOMER_REPLIED' }, at('2026-03-03T09:00:00+08:00'), RULES);
    if (!(o4 && o4.ok)) throw new Error('refused');
    expect(due(scheduleTimer(o4.ticket, 'RESOLUTION', RULES) as ScheduledStage[], 'RESOLUTION', 'WARN')).toBe('2026-03-03T01:00:00.000Z');
  });
});

import { TICKET_QUEUES } from '@meridian/events';
import { chinaBusinessCalendar } from './china-holidays';
import { queueHoursProblems, withQueueHours } from './queue-hours';
import { addWorkingMinutes, workingMinutesBetween } from './working-time';

const BANK = chinaBusinessCalendar();
const LONG_DAY = [{ opens: '08:00', closes: '22:00' }];
const utc = (shanghai: string) => new Date(`${shanghai}+08:00`).toISOString();

describe('a queue’s own working hours over the bank’s calendar (DOMAIN.md: per queue)', () => {
  const digital = withQueueHours(BANK, { weeklyHours: { MON: LONG_DAY, TUE: LONG_DAY, WED: LONG_DAY, THU: LONG_DAY, FRI: LONG_DAY, SAT: LONG_DAY, SUN: LONG_DAY }, makeUpDayHours: LONG_DAY });

  it.each([
    ['a weekday evening counts in the long day', BANK, '2025-11-18T19:00', 60, '2025-11-19T10:00'],
    ['…where the standard queue waits for the morning', digital, '2025-11-18T19:00', 60, '2025-11-18T20:00'],
    ['a Saturday counts when the queue works it', digital, '2025-11-15T10:00', 120, '2025-11-15T12:00'],
    ['the bank’s holidays stay closed: National Day 2025 waits for 10-09', digital, '2025-10-03T10:00', 60, '2025-10-09T09:00'],
    ['make-up days work the queue’s make-up hours', digital, '2025-09-28T21:30', 60, '2025-09-29T08:30'],
  ])('%s', (_, calendar, start, minutes, deadline) => {
    expect(addWorkingMinutes(calendar, utc(start), minutes)).toBe(utc(deadline));
    expect(workingMinutesBetween(calendar, utc(start), utc(deadline))).toBe(minutes);
  });

  it('a weekday left out keeps the standard day, and [] closes one', () => {
    const saturdays = withQueueHours(BANK, { weeklyHours: { SAT: [{ opens: '09:00', closes: '12:00' }], FRI: [] } });
    expect(saturdays.weeklyHours.MON).toEqual(BANK.weeklyHours.MON);
    expect(saturdays.weeklyHours.FRI).toEqual([]);
    expect(addWorkingMinutes(saturdays, utc('2025-11-13T17:00'), 60)).toBe(utc('2025-11-15T09:30'));
    expect(withQueueHours(BANK, undefined)).toBe(BANK);
  });

  it.each([
    [{ SAVINGS: {} }, 'SAVINGS is not a queue'],
    [{ DIGITAL: { hours: [] } }, 'DIGITAL: names no field (weeklyHours, makeUpDayHours): hours'],
    [{ DIGITAL: { weeklyHours: { SATURDAY: LONG_DAY } } }, 'DIGITAL.weeklyHours: names no weekday'],
    [{ DIGITAL: { weeklyHours: { SAT: [{ opens: '8am', closes: '22:00' }] } } }, "DIGITAL.weeklyHours.SAT[0] must be 'HH:mm' times"],
    [{ CARDS: { weeklyHours: { MON: [{ opens: '18:00', closes: '09:00' }] } } }, 'CARDS.weeklyHours.MON[0]: opens must be before closes'],
    [{ CARDS: { weeklyHours: { MON: [], TUE: [], WED: [], THU: [], FRI: [] } } }, 'CARDS.weeklyHours must open on at least one weekday'],
    [{ LOANS: [] }, 'LOANS must be an object'],
    [{ LOANS: null }, 'LOANS must be an object'],
    [{ DIGITAL: { weeklyHours: { SAT: [null] } } }, "DIGITAL.weeklyHours.SAT[0] must be { opens, closes }"],
    [{ DIGITAL: { weeklyHours: { SAT: [{ opens: 9, closes: 17 }] } } }, "DIGITAL.weeklyHours.SAT[0] must be { opens, closes }"],
    [{ DIGITAL: { weeklyHours: null } }, 'DIGITAL.weeklyHours must be an object of weekdays'],
    [{ DIGITAL: { weeklyHours: { SAT: 'all day' } } }, 'DIGITAL.weeklyHours.SAT must be a list'],
    [{ DIGITAL: { makeUpDayHours: null } }, 'DIGITAL.makeUpDayHours must be a list'],
    [{ DIGITAL: { makeUpDayHours: [{ opens: '09:00' }] } }, 'DIGITAL.makeUpDayHours[0] must be { opens, closes }'],
  ])('refuses %j, naming the queue and the field', (byQueue, message) => {
    expect(queueHoursProblems(byQueue as never, TICKET_QUEUES, BANK).join('; ')).toContain(message);
  });
});

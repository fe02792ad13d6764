import { DateTime } from 'luxon';
import { calendarProblems } from './business-calendar';
import { applyCalendarOverrides, NO_OVERRIDES, overrideProblems } from './calendar-overrides';
import { CHINA_OFFICIAL_DAYS, CHINA_OFFICIAL_YEARS, chinaBusinessCalendar, chinaHolidayName } from './china-holidays';

const weekday = (date: string) => DateTime.fromISO(date, { zone: 'utc' }).weekday;

describe('China’s official days from the chinese-days package', () => {
  it('cover every year from 2004 to 2026 and make a valid calendar', () => {
    expect(CHINA_OFFICIAL_YEARS).toEqual(Array.from({ length: 2026 - 2004 + 1 }, (_, i) => 2004 + i));
    expect(calendarProblems(chinaBusinessCalendar())).toEqual([]);
  });

  it('every make-up working day (调休) is a Saturday or a Sunday', () => {
    expect(CHINA_OFFICIAL_DAYS.makeUpWorkdays.filter((date) => weekday(date) < 6)).toEqual([]);
  });

  it.each([
    ['National Day 2025', '2025-09-27', '2025-10-12', ['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-04', '2025-10-05', '2025-10-06', '2025-10-07', '2025-10-08'], ['2025-09-28', '2025-10-11']],
    ['Spring Festival 2025', '2025-01-20', '2025-02-10', ['2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31', '2025-02-01', '2025-02-02', '2025-02-03', '2025-02-04'], ['2025-01-26', '2025-02-08']],
    ['New Year 2026', '2025-12-25', '2026-01-10', ['2026-01-01', '2026-01-02', '2026-01-03'], ['2026-01-04']],
  ])('%s as the State Council announced it', (_, from, to, holidays, makeUpDays) => {
    const within = (dates: string[]) => dates.filter((date) => date >= from && date <= to);
    expect(within(CHINA_OFFICIAL_DAYS.holidays)).toEqual(holidays);
    expect(within(CHINA_OFFICIAL_DAYS.makeUpWorkdays)).toEqual(makeUpDays);
  });

  it('names the holiday of a date and of its make-up day', () => {
    expect(chinaHolidayName('2025-10-01')).toBe('国庆节');
    expect(chinaHolidayName('2025-09-28')).toBe('国庆节');
    expect(chinaHolidayName('2025-11-19')).toBeUndefined();
  });
});

describe('a bank’s overrides of the official days', () => {
  const official = { holidays: ['2025-10-01', '2025-10-02'], makeUpWorkdays: ['2025-09-28', '2025-10-11'] };

  it.each([
    ['none', NO_OVERRIDES, official],
    ['an extra holiday (the bank’s anniversary)', { ...NO_OVERRIDES, extraHolidays: ['2025-11-19'] }, { ...official, holidays: ['2025-10-01', '2025-10-02', '2025-11-19'] }],
    ['an extra holiday on a make-up day closes it', { ...NO_OVERRIDES, extraHolidays: ['2025-10-11'] }, { holidays: ['2025-10-01', '2025-10-02', '2025-10-11'], makeUpWorkdays: ['2025-09-28'] }],
    ['an extra working day in the holiday opens it', { ...NO_OVERRIDES, extraWorkdays: ['2025-10-02'] }, { holidays: ['2025-10-01'], makeUpWorkdays: ['2025-09-28', '2025-10-02', '2025-10-11'] }],
    ['a holiday removed', { ...NO_OVERRIDES, removedHolidays: ['2025-10-01'] }, { ...official, holidays: ['2025-10-02'] }],
    ['a make-up day removed', { ...NO_OVERRIDES, removedWorkdays: ['2025-09-28'] }, { ...official, makeUpWorkdays: ['2025-10-11'] }],
    ['an extra holiday already official stays once', { ...NO_OVERRIDES, extraHolidays: ['2025-10-01'] }, official],
  ])('%s', (_, overrides, merged) => {
    expect(overrideProblems(overrides)).toEqual([]);
    expect(applyCalendarOverrides(official, overrides)).toEqual(merged);
  });

  it('the merged official calendar with overrides stays valid', () => {
    const calendar = chinaBusinessCalendar({ ...NO_OVERRIDES, extraHolidays: ['2025-09-28', '2027-01-01'], extraWorkdays: ['2025-10-03'] });
    expect(calendarProblems(calendar)).toEqual([]);
    expect(calendar.holidays).toContain('2027-01-01');
    expect(calendar.holidays).not.toContain('2025-10-03');
    expect(calendar.makeUpWorkdays).not.toContain('2025-09-28');
  });

  it.each([
    ['a date that does not exist', { ...NO_OVERRIDES, extraHolidays: ['2025-13-01'] }, 'extraHolidays must hold dates (YYYY-MM-DD) that exist (not: 2025-13-01)'],
    ['not a list', { ...NO_OVERRIDES, removedWorkdays: '2025-09-28' as never }, 'removedWorkdays must be a list of dates'],
    ['a date both closed and working', { ...NO_OVERRIDES, extraHolidays: ['2025-10-08'], extraWorkdays: ['2025-10-08'] }, 'extraHolidays and extraWorkdays must not share a date (both: 2025-10-08)'],
    ['a holiday added and removed', { ...NO_OVERRIDES, extraHolidays: ['2025-10-08'], removedHolidays: ['2025-10-08'] }, 'extraHolidays and removedHolidays must not share a date'],
    ['a working day added and removed', { ...NO_OVERRIDES, extraWorkdays: ['2025-10-12'], removedWorkdays: ['2025-10-12'] }, 'extraWorkdays and removedWorkdays must not share a date'],
  ])('%s is refused', (_, overrides, message) => {
    expect(overrideProblems(overrides)).toEqual([expect.stringContaining(message)]);
  });
});

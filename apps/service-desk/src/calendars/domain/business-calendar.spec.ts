import { ALWAYS_OPEN_CALENDAR, BusinessCalendar, STANDARD_WEEK, calendarProblems } from './business-calendar';
import { chinaBusinessCalendar } from './china-holidays';

const CHINA = chinaBusinessCalendar();

describe('calendarProblems: a queue’s calendar holds together', () => {
  it.each([
    ['the default China calendar', CHINA],
    ['the around-the-clock calendar', ALWAYS_OPEN_CALENDAR],
    ['a day until midnight and touching intervals', { ...CHINA, weeklyHours: { ...STANDARD_WEEK, SAT: [{ opens: '09:00', closes: '12:00' }, { opens: '12:00', closes: '24:00' }] } }],
    ['Europe/London', { ...CHINA, timeZone: 'Europe/London' }],
  ])('%s is fine', (_, calendar) => {
    expect(calendarProblems(calendar)).toEqual([]);
  });

  it.each<[string, Partial<BusinessCalendar>, string]>([
    ['an unknown zone', { timeZone: 'Asia/Beijing' }, "timeZone: 'Asia/Beijing' is not an IANA time zone"],
    ['a fixed offset instead of a zone name', { timeZone: '+08:00' }, 'timeZone'],
    ['opening after closing', { weeklyHours: { ...STANDARD_WEEK, MON: [{ opens: '17:30', closes: '09:00' }] } }, 'weeklyHours.MON[0]: opens must be before closes'],
    ['a time that is no time', { weeklyHours: { ...STANDARD_WEEK, TUE: [{ opens: '9:00', closes: '17:30' }] } }, "weeklyHours.TUE[0] must be 'HH:mm' times"],
    ['opening at 24:00', { weeklyHours: { ...STANDARD_WEEK, TUE: [{ opens: '24:00', closes: '24:00' }] } }, "weeklyHours.TUE[0] must be 'HH:mm' times"],
    ['overlapping intervals', { weeklyHours: { ...STANDARD_WEEK, WED: [{ opens: '09:00', closes: '12:00' }, { opens: '11:00', closes: '17:30' }] } }, 'weeklyHours.WED[1] must start at or after the previous interval closes'],
    ['a weekday missing', { weeklyHours: { ...STANDARD_WEEK, THU: undefined as never } }, 'weeklyHours.THU must be a list'],
    ['a week that never opens', { weeklyHours: { MON: [], TUE: [], WED: [], THU: [], FRI: [], SAT: [], SUN: [] } }, 'weeklyHours must open on at least one weekday'],
    ['make-up days without make-up hours', { makeUpDayHours: [] }, 'makeUpDayHours must not be empty when there are makeUpWorkdays'],
    ['a holiday that does not exist', { holidays: ['2025-02-29'] }, 'holidays must hold dates (YYYY-MM-DD) that exist (not: 2025-02-29)'],
    ['a make-up day in another format', { makeUpWorkdays: ['2025/09/28'] }, 'makeUpWorkdays must hold dates'],
    ['a date both closed and working', { holidays: ['2025-10-01'], makeUpWorkdays: ['2025-10-01'] }, 'holidays and makeUpWorkdays must not share a date (both: 2025-10-01)'],
  ])('%s is refused', (_, change, message) => {
    expect(calendarProblems({ ...CHINA, ...change })).toEqual([expect.stringContaining(message)]);
  });
});

import { IANAZone } from 'luxon';
import { dateListProblems, minuteOfDay } from './calendar-dates';

/** ISO weekday order (Luxon's weekday 1 is MON). */
export const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Wall-clock hours in the calendar's zone, 'HH:mm', open from `opens` until (not at) `closes`; `closes` may be '24:00'. */
export interface WorkingInterval {
  opens: string;
  closes: string;
}

/**
 * DOMAIN.md business calendars: the working time a queue's SLA clock counts. Configuration,
 * and a value: the arithmetic caches what it derives from a calendar, so never mutate one.
 */
export interface BusinessCalendar {
  /** IANA zone the hours and dates are local to, e.g. 'Asia/Shanghai'. */
  timeZone: string;
  /** Around the clock (DOMAIN.md: P1): every instant counts and the lists below are ignored. */
  alwaysOpen: boolean;
  /** Hours per weekday, ascending and not overlapping; [] is closed. */
  weeklyHours: Record<Weekday, WorkingInterval[]>;
  /** Hours of a make-up working day (调休上班), whatever its weekday. */
  makeUpDayHours: WorkingInterval[];
  /** Local dates (YYYY-MM-DD) closed all day: public holidays, the bank's own. */
  holidays: string[];
  /** Local dates (YYYY-MM-DD) that work although the week says closed (调休: a Saturday or Sunday that is a working day). */
  makeUpWorkdays: string[];
}

/** DOMAIN.md: the default day, 09:00–17:30. */
export const STANDARD_WORKING_HOURS: WorkingInterval[] = [{ opens: '09:00', closes: '17:30' }];

/** DOMAIN.md: Monday to Friday. */
export const STANDARD_WEEK: Record<Weekday, WorkingInterval[]> = {
  MON: STANDARD_WORKING_HOURS,
  TUE: STANDARD_WORKING_HOURS,
  WED: STANDARD_WORKING_HOURS,
  THU: STANDARD_WORKING_HOURS,
  FRI: STANDARD_WORKING_HOURS,
  SAT: [],
  SUN: [],
};

/** DOMAIN.md: P1 runs around the clock (wall time; the zone only names where it is). */
export const ALWAYS_OPEN_CALENDAR: BusinessCalendar = {
  timeZone: 'Asia/Shanghai',
  alwaysOpen: true,
  weeklyHours: { MON: [], TUE: [], WED: [], THU: [], FRI: [], SAT: [], SUN: [] },
  makeUpDayHours: [],
  holidays: [],
  makeUpWorkdays: [],
};

/** What is wrong with a calendar, one message a rule naming the field (empty when it holds together). */
export function calendarProblems(calendar: BusinessCalendar): string[] {
  const problems: string[] = [];
  if (!IANAZone.isValidZone(calendar.timeZone)) problems.push(`timeZone: '${calendar.timeZone}' is not an IANA time zone`);
  if (typeof calendar.alwaysOpen !== 'boolean') problems.push('alwaysOpen must be true or false');
  for (const day of WEEKDAYS) problems.push(...intervalProblems(`weeklyHours.${day}`, calendar.weeklyHours?.[day]));
  problems.push(...intervalProblems('makeUpDayHours', calendar.makeUpDayHours));
  if (!calendar.alwaysOpen && !WEEKDAYS.some((day) => calendar.weeklyHours?.[day]?.length)) {
    problems.push('weeklyHours must open on at least one weekday (or the calendar is alwaysOpen)');
  }
  if (calendar.makeUpWorkdays?.length && !calendar.makeUpDayHours?.length) problems.push('makeUpDayHours must not be empty when there are makeUpWorkdays');
  problems.push(...dateListProblems('holidays', calendar.holidays), ...dateListProblems('makeUpWorkdays', calendar.makeUpWorkdays));
  const holidays = new Set(calendar.holidays ?? []);
  const both = (calendar.makeUpWorkdays ?? []).filter((date) => holidays.has(date));
  if (both.length) problems.push(`holidays and makeUpWorkdays must not share a date (both: ${both.join(', ')})`);
  return problems;
}

function intervalProblems(field: string, intervals: WorkingInterval[] | undefined): string[] {
  if (!Array.isArray(intervals)) return [`${field} must be a list of { opens, closes } ('HH:mm')`];
  const problems: string[] = [];
  let previousClose = -1;
  intervals.forEach((interval, i) => {
    if (typeof interval !== 'object' || interval === null || typeof interval.opens !== 'string' || typeof interval.closes !== 'string') {
      problems.push(`${field}[${i}] must be { opens, closes } ('HH:mm')`);
      return;
    }
    const { opens, closes } = interval;
    const open = minuteOfDay(opens);
    const close = minuteOfDay(closes, true);
    if (Number.isNaN(open) || Number.isNaN(close)) problems.push(`${field}[${i}] must be 'HH:mm' times (closes may be '24:00')`);
    else if (!(open < close)) problems.push(`${field}[${i}]: opens must be before closes`);
    else if (open < previousClose) problems.push(`${field}[${i}] must start at or after the previous interval closes`);
    else previousClose = close;
  });
  return problems;
}

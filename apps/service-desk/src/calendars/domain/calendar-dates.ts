import { DateTime } from 'luxon';

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;
const CLOCK_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** A local date as configuration writes it (YYYY-MM-DD) that exists: 2025-02-29 does not. */
export function isCalendarDate(value: unknown): value is string {
  return typeof value === 'string' && CALENDAR_DATE.test(value) && DateTime.fromISO(value, { zone: 'utc' }).isValid;
}

/**
 * Minutes after local midnight of a wall-clock 'HH:mm'; `endOfDay` admits '24:00', the
 * closing of a day that works until midnight. NaN when the text is no such time.
 */
export function minuteOfDay(clock: string, endOfDay = false): number {
  if (endOfDay && clock === '24:00') return 24 * 60;
  if (!CLOCK_TIME.test(clock)) return Number.NaN;
  return Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
}

/** The problem of a configured list of local dates, naming the field and (the first few) bad entries. */
export function dateListProblems(field: string, dates: string[] | undefined): string[] {
  if (!Array.isArray(dates)) return [`${field} must be a list of dates (YYYY-MM-DD)`];
  const bad = dates.filter((date) => !isCalendarDate(date));
  return bad.length ? [`${field} must hold dates (YYYY-MM-DD) that exist (not: ${bad.slice(0, 5).join(', ')}${bad.length > 5 ? ', …' : ''})`] : [];
}

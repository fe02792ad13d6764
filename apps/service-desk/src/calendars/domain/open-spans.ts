import { DateTime } from 'luxon';
import { BusinessCalendar, WEEKDAYS, WorkingInterval, calendarProblems } from './business-calendar';
import { minuteOfDay } from './calendar-dates';

/** A half-open stretch of instants [from, to) in epoch ms; `to` may be Infinity. */
export type Span = readonly [from: number, to: number];

interface CompiledCalendar {
  zone: string;
  alwaysOpen: boolean;
  week: number[][][];
  makeUpDay: number[][];
  holidays: ReadonlySet<string>;
  makeUpWorkdays: ReadonlySet<string>;
  /** Spans of a local day (days since 1970-01-01), as its hours and the zone's rules make them. */
  days: Map<number, Span[]>;
}

const MS_A_DAY = 86_400_000;
/** Enough local days cached for years of tickets; past it the cache starts again. */
const CACHED_DAYS = 4096;

const compiled = new WeakMap<BusinessCalendar, CompiledCalendar>();

/** A calendar checked once and its hours and dates indexed (cached per calendar value: calendars are never mutated). */
function compile(calendar: BusinessCalendar): CompiledCalendar {
  const known = compiled.get(calendar);
  if (known) return known;
  const problems = calendarProblems(calendar);
  if (problems.length) throw new RangeError(`business calendar: ${problems.join('; ')}`);
  const minutes = (intervals: WorkingInterval[]) => intervals.map(({ opens, closes }) => [minuteOfDay(opens), minuteOfDay(closes, true)]);
  const result: CompiledCalendar = {
    zone: calendar.timeZone,
    alwaysOpen: calendar.alwaysOpen,
    week: WEEKDAYS.map((day) => minutes(calendar.weeklyHours[day])),
    makeUpDay: minutes(calendar.makeUpDayHours),
    holidays: new Set(calendar.holidays),
    makeUpWorkdays: new Set(calendar.makeUpWorkdays),
    days: new Map(),
  };
  compiled.set(calendar, result);
  return result;
}

/**
 * The calendar's working time from `startMs` on, in order, the first span cut at `startMs`:
 * endless (a valid calendar opens every week), so the caller stops.
 *
 * Hours are wall-clock in the calendar's zone and each instant comes from Luxon's zone rules,
 * so a day with a DST change has its real length; a wall time inside a DST gap moves forward
 * (Luxon), and a span never starts before the previous one ended.
 */
export function* openSpansFrom(calendar: BusinessCalendar, startMs: number): Generator<Span> {
  const cal = compile(calendar);
  if (cal.alwaysOpen) {
    yield [startMs, Infinity];
    return;
  }
  const local = DateTime.fromMillis(startMs, { zone: cal.zone });
  for (let day = Date.UTC(local.year, local.month - 1, local.day) / MS_A_DAY; ; day++) {
    for (const [from, to] of spansOf(cal, day)) if (to > startMs) yield [Math.max(from, startMs), to];
  }
}

function spansOf(cal: CompiledCalendar, day: number): Span[] {
  const known = cal.days.get(day);
  if (known) return known;
  const date = DateTime.fromMillis(day * MS_A_DAY, { zone: 'utc' });
  const spans: Span[] = [];
  let previousEnd = -Infinity;
  for (const [opens, closes] of hoursOf(cal, date)) {
    const from = Math.max(localMs(cal.zone, date, opens), previousEnd);
    const to = localMs(cal.zone, date, closes);
    if (from < to) spans.push([from, (previousEnd = to)]);
  }
  if (cal.days.size >= CACHED_DAYS) cal.days.clear();
  cal.days.set(day, spans);
  return spans;
}

/** DOMAIN.md: a holiday is closed, a make-up day (调休) works its hours, any other day its weekday's. */
function hoursOf(cal: CompiledCalendar, date: DateTime): number[][] {
  const iso = date.toISODate() ?? '';
  if (cal.holidays.has(iso)) return [];
  if (cal.makeUpWorkdays.has(iso)) return cal.makeUpDay;
  return cal.week[date.weekday - 1];
}

/** The instant of a wall-clock minute of a local date (held as UTC midnight); minute 1440 is the next day's midnight. */
function localMs(zone: string, date: DateTime, minute: number): number {
  const day = minute === 24 * 60 ? date.plus({ days: 1 }) : date;
  const clock = minute % (24 * 60);
  return DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour: Math.floor(clock / 60), minute: clock % 60 }, { zone }).toMillis();
}

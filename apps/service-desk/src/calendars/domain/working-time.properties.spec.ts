import fc from 'fast-check';
import { ALWAYS_OPEN_CALENDAR, BusinessCalendar, WEEKDAYS, Weekday, WorkingInterval } from './business-calendar';
import { chinaBusinessCalendar } from './china-holidays';
import { addWorkingMinutes, deadlineAfterPauses, elapsedWorkingMinutes, isWorkingInstant, workingMinutesBetween } from './working-time';

const clock = (minute: number) => (minute === 1440 ? '24:00' : `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`);

/** 0–2 intervals on a quarter-hour grid, ascending, possibly touching, possibly until 24:00. */
const intervals = fc
  .uniqueArray(fc.integer({ min: 0, max: 96 }), { maxLength: 4 })
  .map((points) => points.sort((a, b) => a - b))
  .map((points): WorkingInterval[] => {
    const pairs: WorkingInterval[] = [];
    for (let i = 0; i + 1 < points.length; i += 2) pairs.push({ opens: clock(points[i] * 15), closes: clock(points[i + 1] * 15) });
    return pairs;
  });

const dateIn2025To2026 = fc.integer({ min: 0, max: 729 }).map((day) => new Date(Date.UTC(2025, 0, 1 + day)).toISOString().slice(0, 10));

/** Calendars of any shape: zones with and without DST, split days, weekends that work, holidays and make-up days at random. */
const randomCalendar: fc.Arbitrary<BusinessCalendar> = fc
  .record({
    timeZone: fc.constantFrom('Asia/Shanghai', 'Europe/London', 'America/New_York', 'Australia/Sydney'),
    week: fc.tuple(...WEEKDAYS.map(() => intervals)),
    makeUpDayHours: intervals.filter((hours) => hours.length > 0),
    holidays: fc.uniqueArray(dateIn2025To2026, { maxLength: 40 }),
    makeUpWorkdays: fc.uniqueArray(dateIn2025To2026, { maxLength: 10 }),
  })
  .filter(({ week }) => week.some((hours) => hours.length > 0))
  .map(({ timeZone, week, makeUpDayHours, holidays, makeUpWorkdays }) => ({
    timeZone,
    alwaysOpen: false,
    weeklyHours: Object.fromEntries(WEEKDAYS.map((day, i) => [day, week[i]])) as Record<Weekday, WorkingInterval[]>,
    makeUpDayHours,
    holidays,
    makeUpWorkdays: makeUpWorkdays.filter((date) => !holidays.includes(date)),
  }));

const calendar = fc.oneof(fc.constant(chinaBusinessCalendar()), fc.constant(ALWAYS_OPEN_CALENDAR), randomCalendar);

/** Instants to the millisecond from late 2024 to early 2027: across year ends, Spring Festivals, National Days and DST changes. */
const instantMs = fc.integer({ min: Date.UTC(2024, 11, 1), max: Date.UTC(2027, 0, 31) });
const instant = instantMs.map((ms) => new Date(ms).toISOString());
/** Up to two months of working time, in whole minutes or fractions. */
const minutes = fc.oneof(fc.integer({ min: 0, max: 60 * 24 * 60 }), fc.double({ min: 0, max: 60 * 24 * 60, noNaN: true }));
const pause = fc.tuple(instantMs, fc.integer({ min: 0, max: 30 * 24 * 3_600_000 })).map(([from, length]) => ({ from: new Date(from).toISOString(), to: new Date(from + length).toISOString() }));

const ms = (iso: string) => Date.parse(iso);
const closeTo = (a: number, b: number) => Math.abs(a - b) < 1e-6;

describe('SLA clock arithmetic: properties over calendars, instants and durations', () => {
  it('round trip: add N working minutes, then count the working minutes between = N', () => {
    fc.assert(
      fc.property(calendar, instant, minutes, (cal, start, n) => {
        const deadline = addWorkingMinutes(cal, start, n);
        expect(workingMinutesBetween(cal, start, deadline)).toBe(Math.round(n * 60_000) / 60_000);
      }),
    );
  });

  it('a later target never gives an earlier deadline, and a longer one a later deadline than its start', () => {
    fc.assert(
      fc.property(calendar, instant, minutes, minutes, (cal, start, a, b) => {
        const [shorter, longer] = a <= b ? [a, b] : [b, a];
        expect(ms(addWorkingMinutes(cal, start, shorter))).toBeLessThanOrEqual(ms(addWorkingMinutes(cal, start, longer)));
        expect(ms(addWorkingMinutes(cal, start, longer))).toBeGreaterThanOrEqual(ms(start));
      }),
    );
  });

  it('0 minutes from a working instant is that instant; from any instant, the next working instant', () => {
    fc.assert(
      fc.property(calendar, instant, (cal, start) => {
        const opening = addWorkingMinutes(cal, start, 0);
        expect(isWorkingInstant(cal, opening)).toBe(true);
        expect(workingMinutesBetween(cal, start, opening)).toBe(0);
        if (isWorkingInstant(cal, start)) expect(opening).toBe(start);
      }),
    );
  });

  it('a deadline of more than 0 minutes falls in working time or exactly at its end (never in a closed stretch)', () => {
    fc.assert(
      fc.property(calendar, instant, fc.integer({ min: 1, max: 60 * 24 * 60 }), (cal, start, n) => {
        const deadline = ms(addWorkingMinutes(cal, start, n));
        expect(isWorkingInstant(cal, new Date(deadline - 1).toISOString())).toBe(true);
      }),
    );
  });

  it('counting adds up over any split point, in any order', () => {
    fc.assert(
      fc.property(calendar, instant, instant, instant, (cal, a, b, c) => {
        expect(closeTo(workingMinutesBetween(cal, a, c), workingMinutesBetween(cal, a, b) + workingMinutesBetween(cal, b, c))).toBe(true);
      }),
    );
  });

  it('working time never exceeds wall time, and around the clock it is wall time', () => {
    fc.assert(
      fc.property(calendar, instant, instant, (cal, a, b) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        const wall = (ms(to) - ms(from)) / 60_000;
        const working = workingMinutesBetween(cal, from, to);
        expect(working).toBeGreaterThanOrEqual(0);
        expect(working).toBeLessThanOrEqual(wall);
        if (cal.alwaysOpen) expect(working).toBe(wall);
      }),
    );
  });

  it('pauses only ever push a deadline later, and the round trip holds with them', () => {
    fc.assert(
      fc.property(calendar, instant, minutes, fc.array(pause, { maxLength: 3 }), (cal, start, n, pauses) => {
        const deadline = deadlineAfterPauses(cal, start, n, pauses) as string;
        expect(ms(deadline)).toBeGreaterThanOrEqual(ms(addWorkingMinutes(cal, start, n)));
        expect(elapsedWorkingMinutes(cal, start, deadline, pauses)).toBe(Math.round(n * 60_000) / 60_000);
      }),
    );
  });

  it('a pause takes exactly the working time it covers, once (a pause over a holiday or a night takes none of it)', () => {
    fc.assert(
      fc.property(calendar, instant, instant, pause, pause, (cal, a, b, p, q) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        const clip = (iso: string) => new Date(Math.min(Math.max(ms(iso), ms(from)), ms(to))).toISOString();
        const pausedAlone = (x: { from: string; to: string }) => workingMinutesBetween(cal, clip(x.from), clip(x.to));
        const [first, second] = ms(p.from) <= ms(q.from) ? [p, q] : [q, p];
        const union =
          ms(second.from) <= ms(first.to)
            ? pausedAlone({ from: first.from, to: new Date(Math.max(ms(first.to), ms(second.to))).toISOString() })
            : pausedAlone(first) + pausedAlone(second);
        expect(closeTo(elapsedWorkingMinutes(cal, from, to, [p, q]), workingMinutesBetween(cal, from, to) - union)).toBe(true);
      }),
    );
  });

  it('a pause within closed time changes no deadline', () => {
    fc.assert(
      fc.property(calendar, instant, instant, minutes, (cal, pauseStart, start, n) => {
        const opening = addWorkingMinutes(cal, pauseStart, 0);
        const closed = [{ from: pauseStart, to: opening }];
        expect(deadlineAfterPauses(cal, start, n, closed)).toBe(addWorkingMinutes(cal, start, n));
      }),
    );
  });
});

import { ALWAYS_OPEN_CALENDAR, BusinessCalendar, STANDARD_WEEK, STANDARD_WORKING_HOURS } from './business-calendar';
import { chinaBusinessCalendar } from './china-holidays';
import { addWorkingMinutes, deadlineAfterPauses, elapsedWorkingMinutes, isWorkingInstant, thresholdInstant, workingMinutesBetween } from './working-time';

const CHINA = chinaBusinessCalendar();
const LONDON: BusinessCalendar = { ...CHINA, timeZone: 'Europe/London', holidays: [], makeUpWorkdays: [] };
const ALL_DAY = [{ opens: '00:00', closes: '24:00' }];
const LONDON_ALL_DAY: BusinessCalendar = { ...LONDON, weeklyHours: { MON: ALL_DAY, TUE: ALL_DAY, WED: ALL_DAY, THU: ALL_DAY, FRI: ALL_DAY, SAT: ALL_DAY, SUN: ALL_DAY } };
const utc = (shanghai: string) => new Date(`${shanghai}+08:00`).toISOString();

describe('addWorkingMinutes: the SLA deadline on the calendar of DOMAIN.md (09:00–17:30 Asia/Shanghai, Mon–Fri, China holidays and 调休)', () => {
  it.each([
    ['a Friday 17:00 + 60 min is Monday 09:30', '2025-11-14T17:00', 60, '2025-11-17T09:30'],
    ['a night start begins at the opening', '2025-11-18T02:00', 30, '2025-11-18T09:30'],
    ['a start at closing time begins the next morning', '2025-11-18T17:30', 30, '2025-11-19T09:30'],
    ['a deadline that ends at closing time is closing time, not the next opening', '2025-11-19T16:30', 60, '2025-11-19T17:30'],
    ['0 min from an open instant is that instant', '2025-11-19T10:15', 0, '2025-11-19T10:15'],
    ['0 min from a Saturday is Monday’s opening', '2025-11-15T11:00', 0, '2025-11-17T09:00'],
    ['a whole working day (510 min) from 09:00 is 17:30', '2025-11-19T09:00', 510, '2025-11-19T17:30'],
    ['National Day 2025: a Friday before works on the make-up Sunday 09-28', '2025-09-26T17:00', 60, '2025-09-28T09:30'],
    ['National Day 2025: 09-30 17:00 skips 10-01…10-08 (a Wednesday to a Wednesday)', '2025-09-30T17:00', 60, '2025-10-09T09:30'],
    ['National Day 2025: Friday 10-10 works on the make-up Saturday 10-11', '2025-10-10T17:00', 60, '2025-10-11T09:30'],
    ['National Day 2025: a start in the holiday waits for 10-09', '2025-10-03T10:00', 240, '2025-10-09T13:00'],
    ['Spring Festival 2025: a Monday 01-27 skips 01-28…02-04', '2025-01-27T17:00', 60, '2025-02-05T09:30'],
    ['Spring Festival 2025: the Friday before works on the make-up Sunday 01-26', '2025-01-24T17:00', 60, '2025-01-26T09:30'],
    ['Spring Festival 2026: the Friday 02-13 works on the make-up Saturday 02-14', '2026-02-13T17:00', 60, '2026-02-14T09:30'],
    ['Spring Festival 2026: the make-up Saturday 02-14 skips 02-15…02-23', '2026-02-14T17:00', 60, '2026-02-24T09:30'],
    ['year end: 2025-12-31 skips New Year 01-01…01-03 to the make-up Sunday 2026-01-04', '2025-12-31T17:00', 60, '2026-01-04T09:30'],
    ['P3 resolution, 72 h of working time, from a Monday 09:00 (8½ h a day)', '2025-11-17T09:00', 72 * 60, '2025-11-27T13:00'],
  ])('%s', (_, start, minutes, deadline) => {
    expect(addWorkingMinutes(CHINA, utc(start), minutes)).toBe(utc(deadline));
  });

  it('make-up days work the make-up hours, which a bank may set apart from the weekday ones', () => {
    const shortMakeUp = { ...CHINA, makeUpDayHours: [{ opens: '10:00', closes: '16:00' }] };
    expect(addWorkingMinutes(shortMakeUp, utc('2025-10-10T17:00'), 60)).toBe(utc('2025-10-11T10:30'));
  });

  it('a day of several intervals skips the lunch break', () => {
    const lunch = { ...CHINA, weeklyHours: { ...STANDARD_WEEK, WED: [{ opens: '09:00', closes: '12:00' }, { opens: '13:30', closes: '17:30' }] } };
    expect(addWorkingMinutes(lunch, utc('2025-11-19T11:30'), 60)).toBe(utc('2025-11-19T14:00'));
    expect(workingMinutesBetween(lunch, utc('2025-11-19T11:30'), utc('2025-11-19T14:00'))).toBe(60);
  });

  it('P1 runs around the clock: 15 min from a Friday 23:50 is Saturday 00:05, and a weekend counts in full', () => {
    expect(addWorkingMinutes(ALWAYS_OPEN_CALENDAR, utc('2025-11-14T23:50'), 15)).toBe(utc('2025-11-15T00:05'));
    expect(workingMinutesBetween(ALWAYS_OPEN_CALENDAR, utc('2025-11-14T18:00'), utc('2025-11-17T09:00'))).toBe(63 * 60);
    expect(addWorkingMinutes(ALWAYS_OPEN_CALENDAR, utc('2025-10-01T03:00'), 4 * 60)).toBe(utc('2025-10-01T07:00'));
  });

  it('Europe/London through the October DST change: Friday 17:00 BST + 60 min is Monday 09:30 GMT', () => {
    expect(addWorkingMinutes(LONDON, '2025-10-24T17:00:00+01:00', 60)).toBe('2025-10-27T09:30:00.000Z');
    expect(addWorkingMinutes(LONDON, '2025-03-28T17:00:00Z', 60)).toBe('2025-03-31T08:30:00.000Z');
  });

  it('Europe/London: the day clocks go back has 25 hours, the day they go forward 23, and a DST gap is not counted', () => {
    expect(workingMinutesBetween(LONDON_ALL_DAY, '2025-10-25T00:00:00+01:00', '2025-10-27T00:00:00Z')).toBe(49 * 60);
    expect(workingMinutesBetween(LONDON_ALL_DAY, '2025-03-29T00:00:00Z', '2025-03-31T00:00:00+01:00')).toBe(47 * 60);
    const nightShift = { ...LONDON, weeklyHours: { ...STANDARD_WEEK, SUN: [{ opens: '01:00', closes: '03:00' }] } };
    expect(workingMinutesBetween(nightShift, '2025-03-29T12:00:00Z', '2025-03-30T12:00:00Z')).toBe(60);
  });

  it('rejects an instant without an offset (it would be read in the process’s zone) and negative minutes', () => {
    expect(() => addWorkingMinutes(CHINA, '2025-11-14T17:00:00', 60)).toThrow(RangeError);
    expect(() => addWorkingMinutes(CHINA, utc('2025-11-14T17:00'), -1)).toThrow(/minutes/);
    expect(() => addWorkingMinutes({ ...CHINA, timeZone: 'Mars/Olympus' }, utc('2025-11-14T17:00'), 1)).toThrow(/timeZone/);
  });
});

describe('workingMinutesBetween', () => {
  it.each([
    ['Friday 17:00 to Monday 10:00', '2025-11-14T17:00', '2025-11-17T10:00', 90],
    ['a night', '2025-11-18T20:00', '2025-11-19T06:00', 0],
    ['the whole of National Day 2025, 09-30 17:30 to 10-09 09:00', '2025-09-30T17:30', '2025-10-09T09:00', 0],
    ['National Day week 09-27 (Sat) to 10-12 (Sun): 09-28, 09-29, 09-30, 10-09, 10-10, 10-11', '2025-09-27T00:00', '2025-10-12T00:00', 6 * 510],
    ['year end: 2025-12-31 12:00 to 2026-01-05 12:00 (01-04 a make-up Sunday)', '2025-12-31T12:00', '2026-01-05T12:00', 330 + 510 + 180],
    ['backwards is negative', '2025-11-17T10:00', '2025-11-14T17:00', -90],
  ])('%s', (_, from, to, minutes) => {
    expect(workingMinutesBetween(CHINA, utc(from), utc(to))).toBe(minutes);
  });
});

describe('pauses (DOMAIN.md: the clock pauses in PENDING_CUSTOMER)', () => {
  const pauseOverNationalDay = [{ from: utc('2025-09-30T10:00'), to: utc('2025-10-09T10:00') }];

  it('a pause spanning the National Day holiday takes only the working time it covered, the holiday once', () => {
    expect(deadlineAfterPauses(CHINA, utc('2025-09-30T09:00'), 240, pauseOverNationalDay)).toBe(utc('2025-10-09T13:00'));
    expect(elapsedWorkingMinutes(CHINA, utc('2025-09-30T09:00'), utc('2025-10-09T12:00'), pauseOverNationalDay)).toBe(60 + 120);
    expect(workingMinutesBetween(CHINA, utc('2025-09-30T09:00'), utc('2025-10-09T12:00'))).toBe(510 + 180);
  });

  it('overlapping pauses count once; a pause at night changes nothing', () => {
    const overlapping = [
      { from: utc('2025-11-19T10:00'), to: utc('2025-11-19T11:00') },
      { from: utc('2025-11-19T10:30'), to: utc('2025-11-19T11:30') },
    ];
    expect(deadlineAfterPauses(CHINA, utc('2025-11-19T09:00'), 120, overlapping)).toBe(utc('2025-11-19T12:30'));
    const night = [{ from: utc('2025-11-19T18:00'), to: utc('2025-11-20T08:00') }];
    expect(deadlineAfterPauses(CHINA, utc('2025-11-19T17:00'), 60, night)).toBe(addWorkingMinutes(CHINA, utc('2025-11-19T17:00'), 60));
  });

  it('a ticket still waiting for the customer has no deadline yet, unless it fell before the pause', () => {
    const waiting = [{ from: utc('2025-11-19T10:00') }];
    expect(deadlineAfterPauses(CHINA, utc('2025-11-19T09:00'), 120, waiting)).toBeNull();
    expect(deadlineAfterPauses(CHINA, utc('2025-11-19T09:00'), 60, waiting)).toBe(utc('2025-11-19T10:00'));
    expect(elapsedWorkingMinutes(CHINA, utc('2025-11-19T09:00'), utc('2025-11-20T12:00'), waiting)).toBe(60);
  });

  it('a start inside a pause starts the clock when the pause ends', () => {
    const pause = [{ from: utc('2025-11-19T08:00'), to: utc('2025-11-19T10:00') }];
    expect(deadlineAfterPauses(CHINA, utc('2025-11-19T09:00'), 0, pause)).toBe(utc('2025-11-19T10:00'));
  });

  it('refuses a pause that ends before it starts', () => {
    expect(() => elapsedWorkingMinutes(CHINA, utc('2025-11-19T09:00'), utc('2025-11-19T12:00'), [{ from: utc('2025-11-19T11:00'), to: utc('2025-11-19T10:00') }])).toThrow(/pauses\[0\]/);
  });
});

describe('thresholdInstant: reminders within service hours (not at midnight, the Zammad bug)', () => {
  it.each([
    ['P2 first response 60 min from Friday 17:00: 80 % warns Monday 09:18', 60, 0.8, '2025-11-17T09:18'],
    ['the breach, 100 %', 60, 1, '2025-11-17T09:30'],
    ['level 2 at 200 %', 60, 2, '2025-11-17T10:30'],
    ['P3 resolution, 72 h: 80 % of it (57 h 36 min), on the 7th working day', 72 * 60, 0.8, '2025-11-25T15:06'],
  ])('%s', (_, target, fraction, instant) => {
    expect(thresholdInstant(CHINA, utc('2025-11-14T17:00'), target, fraction)).toBe(utc(instant));
  });

  it('a reminder after a night is at the opening, not midnight', () => {
    const warn = thresholdInstant(CHINA, utc('2025-11-19T17:20'), 15, 0.8) as string;
    expect(warn).toBe(utc('2025-11-20T09:02'));
    expect(isWorkingInstant(CHINA, warn)).toBe(true);
    expect(isWorkingInstant(CHINA, utc('2025-11-20T00:00'))).toBe(false);
  });

  it('refuses a fraction of 0 or less', () => {
    expect(() => thresholdInstant(CHINA, utc('2025-11-19T09:00'), 60, 0)).toThrow(/fraction/);
  });

  it('the standard hours are DOMAIN.md’s 09:00–17:30', () => {
    expect(STANDARD_WORKING_HOURS).toEqual([{ opens: '09:00', closes: '17:30' }]);
  });
});

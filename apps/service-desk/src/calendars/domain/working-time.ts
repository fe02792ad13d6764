import { BusinessCalendar } from './business-calendar';
import { epochMs, isoInstant, minutesMs } from './instant';
import { Span, openSpansFrom } from './open-spans';
import { Pause, mergedPauses, withoutPauses } from './pauses';

/**
 * DOMAIN.md SLA clock: working time of a queue's calendar. Instants are ISO 8601 strings with
 * an offset (results in UTC, as the events carry them); durations are minutes, fractions
 * allowed, counted to the millisecond.
 *
 * A deadline is always a working instant or exactly the end of working time: 60 minutes from
 * 16:30 on a 09:00–17:30 day is 17:30 that day (the work was done by closing), not 09:00 the
 * next. A start outside working time starts the clock at the next opening, so 0 minutes from
 * a closed instant (17:30 included: hours are open until, not at, `closes`) is that opening.
 */
export function addWorkingMinutes(calendar: BusinessCalendar, start: string, minutes: number): string {
  // Without pauses the working time never ends, so there is always a deadline.
  return deadlineAfterPauses(calendar, start, minutes, []) as string;
}

/** Working minutes from `from` to `to`; negative when `to` is earlier (so counting adds up over any split point). */
export function workingMinutesBetween(calendar: BusinessCalendar, from: string, to: string): number {
  return elapsedWorkingMinutes(calendar, from, to, []);
}

/** Working minutes from `from` to `to` the clock ran, the pauses left out (DOMAIN.md: the clock pauses in PENDING_CUSTOMER). */
export function elapsedWorkingMinutes(calendar: BusinessCalendar, from: string, to: string, pauses: readonly Pause[]): number {
  const fromMs = epochMs(from, 'from');
  const toMs = epochMs(to, 'to');
  if (toMs < fromMs) return -elapsedWorkingMinutes(calendar, to, from, pauses);
  let ms = 0;
  for (const [spanFrom, spanTo] of runningSpans(calendar, fromMs, pauses)) {
    if (spanFrom >= toMs) break;
    ms += Math.min(spanTo, toMs) - spanFrom;
  }
  return ms / 60_000;
}

/**
 * The instant `targetMinutes` of running working time after `start` (an SLA target), later by
 * every pause; null while a pause without an end holds the clock before the target is reached.
 */
export function deadlineAfterPauses(calendar: BusinessCalendar, start: string, targetMinutes: number, pauses: readonly Pause[]): string | null {
  let remaining = minutesMs(targetMinutes, 'targetMinutes');
  for (const [from, to] of runningSpans(calendar, epochMs(start, 'start'), pauses)) {
    if (remaining <= to - from) return isoInstant(from + remaining);
    remaining -= to - from;
  }
  return null;
}

/**
 * The instant a share of the target is used up (DOMAIN.md: 0.8 warns, 1 breaches and escalates
 * to level 1, 2 to level 2): a working instant, so a reminder falls within service hours and
 * never at midnight; null while an open pause holds the clock.
 */
export function thresholdInstant(calendar: BusinessCalendar, start: string, targetMinutes: number, fraction: number, pauses: readonly Pause[] = []): string | null {
  if (!(Number.isFinite(fraction) && fraction > 0)) throw new RangeError(`fraction must be a number above 0, got ${fraction}`);
  return deadlineAfterPauses(calendar, start, minutesMs(targetMinutes, 'targetMinutes') * fraction / 60_000, pauses);
}

/** Whether the clock runs at an instant (working time, not closing time). */
export function isWorkingInstant(calendar: BusinessCalendar, instant: string): boolean {
  const ms = epochMs(instant, 'instant');
  const [first] = openSpansFrom(calendar, ms);
  return first[0] === ms;
}

function runningSpans(calendar: BusinessCalendar, fromMs: number, pauses: readonly Pause[]): Iterable<Span> {
  const spans = openSpansFrom(calendar, fromMs);
  return pauses.length ? withoutPauses(spans, mergedPauses(pauses)) : spans;
}

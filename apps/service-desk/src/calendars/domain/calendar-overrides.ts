import { dateListProblems } from './calendar-dates';

/** A year's closed days and make-up working days (调休), the part of a calendar that changes every year. */
export interface CalendarDays {
  holidays: string[];
  makeUpWorkdays: string[];
}

/** A bank's changes to the official days (DOMAIN.md: each year's list is configuration, per bank). */
export interface CalendarOverrides {
  /** Dates the bank closes besides the official holidays (its anniversary, a local holiday); no longer make-up days. */
  extraHolidays: string[];
  /** Dates the bank works although closed otherwise (a branch open in Spring Festival); no longer holidays. */
  extraWorkdays: string[];
  /** Official holidays the bank works normally (its weekday hours). */
  removedHolidays: string[];
  /** Official make-up days the bank does not work. */
  removedWorkdays: string[];
}

export const NO_OVERRIDES: CalendarOverrides = { extraHolidays: [], extraWorkdays: [], removedHolidays: [], removedWorkdays: [] };

const FIELDS = ['extraHolidays', 'extraWorkdays', 'removedHolidays', 'removedWorkdays'] as const;

/** What is wrong with a bank's overrides, one message a rule (empty when they hold together). */
export function overrideProblems(overrides: CalendarOverrides): string[] {
  const problems: string[] = [];
  for (const field of FIELDS) problems.push(...dateListProblems(field, overrides[field]));
  if (problems.length) return problems;
  const clash = (a: (typeof FIELDS)[number], b: (typeof FIELDS)[number]) => {
    const second = new Set(overrides[b]);
    const shared = overrides[a].filter((date) => second.has(date));
    if (shared.length) problems.push(`${a} and ${b} must not share a date (both: ${shared.join(', ')})`);
  };
  clash('extraHolidays', 'extraWorkdays');
  clash('extraHolidays', 'removedHolidays');
  clash('extraWorkdays', 'removedWorkdays');
  return problems;
}

/**
 * The official days with a bank's overrides: what the bank adds wins over what the state
 * announced, a date ends in at most one list, and both come out sorted and distinct.
 */
export function applyCalendarOverrides(official: CalendarDays, overrides: CalendarOverrides): CalendarDays {
  const without = (dates: string[], ...drop: string[][]) => {
    const dropped = new Set(drop.flat());
    return dates.filter((date) => !dropped.has(date));
  };
  const sorted = (dates: string[]) => [...new Set(dates)].sort();
  return {
    holidays: sorted([...without(official.holidays, overrides.removedHolidays, overrides.extraWorkdays), ...overrides.extraHolidays]),
    makeUpWorkdays: sorted([...without(official.makeUpWorkdays, overrides.removedWorkdays, overrides.extraHolidays), ...overrides.extraWorkdays]),
  };
}

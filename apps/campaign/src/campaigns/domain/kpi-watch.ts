import type { KpiStatus } from '@meridian/events';
import { DateTime } from 'luxon';
import type { CampaignRules } from './campaign-rules';

/** The ISO week (`2026-W49`) an instant falls in, in the bank's zone: the week a message is counted under. */
export function isoWeekOf(at: Date | number, timeZone: string): string {
  const ms = typeof at === 'number' ? at : at.getTime();
  // A batch's decisions share one instant: the last answer is kept.
  if (ms !== lastWeek.ms || timeZone !== lastWeek.zone) lastWeek = { ms, zone: timeZone, week: DateTime.fromMillis(ms, { zone: timeZone }).toFormat("kkkk-'W'WW") };
  return lastWeek.week;
}

let lastWeek = { ms: Number.NaN, zone: '', week: '' };

/** The ISO weeks that ended before `now`, the latest first, `count` of them. */
export function endedWeeks(now: Date, timeZone: string, count: number): string[] {
  const start = DateTime.fromMillis(now.getTime(), { zone: timeZone }).startOf('week');
  return Array.from({ length: count }, (_, i) => start.minus({ weeks: i + 1 }).toFormat("kkkk-'W'WW"));
}

/** DOMAIN.md KPI watch: GREEN at or above the target conversion rate, YELLOW at ≥ 80 % of it, RED below. */
export function kpiStatus(rate: number, target: number, rules: Pick<CampaignRules, 'kpiYellowShare'>): KpiStatus {
  // Rates are ratios of counts: compared with a tolerance far below one message in a billion, so 4 % of a 5 % target is YELLOW, not RED by a rounding.
  const atLeast = (a: number, b: number) => a >= b - 1e-12;
  if (atLeast(rate, target)) return 'GREEN';
  return atLeast(rate, rules.kpiYellowShare * target) ? 'YELLOW' : 'RED';
}

export interface WeekFigures {
  week: string;
  /** Treatment messages sent that week. */
  sent: number;
  /** Of them, the customers who converted (so far: the attribution window may still be open). */
  converted: number;
}

export interface WeekStatus extends WeekFigures {
  conversionRate: number;
  status: KpiStatus;
}

/**
 * A campaign's weekly statuses, the latest first, and whether its latest ended week makes an alert:
 * RED `kpiRedWeeks` weeks running ("conversion below threshold for two weeks in a row triggers a
 * strategy review"). A week that sent nothing is no week of the campaign's: it has no status.
 */
export function kpiWatch(weeks: readonly WeekFigures[], target: number, rules: Pick<CampaignRules, 'kpiYellowShare' | 'kpiRedWeeks'>): { statuses: WeekStatus[]; alert?: WeekStatus } {
  const statuses = weeks.filter((w) => w.sent > 0).map((w) => ({ ...w, conversionRate: w.converted / w.sent, status: kpiStatus(w.converted / w.sent, target, rules) }));
  const run = weeks.slice(0, rules.kpiRedWeeks);
  const allRed = run.length === rules.kpiRedWeeks && run.every((w) => statuses.find((s) => s.week === w.week)?.status === 'RED');
  return { statuses, ...(allRed && { alert: statuses[0] }) };
}

/** Every week a campaign's counters hold (`sent:week:<W>`, `converted:week:<W>`), the latest first. */
export function weeklyFigures(counters: Readonly<Record<string, number>>): WeekFigures[] {
  return Object.keys(counters)
    .filter((k) => k.startsWith('sent:week:'))
    .map((k) => k.slice('sent:week:'.length))
    .sort()
    .reverse()
    .map((week) => ({ week, sent: counters[`sent:week:${week}`] ?? 0, converted: counters[`converted:week:${week}`] ?? 0 }));
}

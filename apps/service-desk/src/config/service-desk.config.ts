import { TICKET_PRIORITIES, TIERS, Tier } from '@meridian/events';
import { HoldsTogether, ParsesWith, ServiceConfig } from '@meridian/shared';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { CalendarOverrides, NO_OVERRIDES, overrideProblems } from '../calendars/domain/calendar-overrides';
import { DEFAULT_SERVICE_DESK_RULES as D, ServiceDeskRules, SlaTarget, serviceDeskRuleProblems } from '../tickets/domain/service-desk-rules';

/** `<first response>,<resolution>` in whole minutes, e.g. `15,240`. */
export function parseSlaTarget(text: string): SlaTarget {
  const parts = text.split(',').map((v) => v.trim());
  if (parts.length !== 2 || !parts.every((p) => /^\d{1,9}$/.test(p))) throw new Error('must be two whole numbers of minutes, first response then resolution, e.g. 15,240');
  const [first, resolution] = parts.map(Number);
  return { firstResponseMinutes: first, resolutionMinutes: resolution };
}

/** Tiers, comma-separated, or `NONE` (an empty variable counts as unset). */
export function parseTiers(text: string): Tier[] {
  if (text.trim().toUpperCase() === 'NONE') return [];
  const tiers = text.split(',').map((t) => t.trim()).filter(Boolean);
  const unknown = tiers.filter((t) => !(TIERS as readonly string[]).includes(t));
  if (unknown.length) throw new Error(`names no tier (${TIERS.join(', ')}): ${unknown.join(', ')}`);
  return tiers as Tier[];
}

/** A bank's changes to China's official days, as JSON: `{"extraHolidays":["2026-12-24"]}`; fields left out change nothing; empty is none. */
export function parseCalendarOverrides(text: string): CalendarOverrides {
  if (!text.trim()) return NO_OVERRIDES;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('must be a JSON object such as {"extraHolidays":["2026-12-24"]}');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('must be a JSON object such as {"extraHolidays":["2026-12-24"]}');
  const unknown = Object.keys(parsed).filter((k) => !(k in NO_OVERRIDES));
  if (unknown.length) throw new Error(`names no override (${Object.keys(NO_OVERRIDES).join(', ')}): ${unknown.join(', ')}`);
  const overrides = { ...NO_OVERRIDES, ...(parsed as Partial<CalendarOverrides>) };
  const problems = overrideProblems(overrides);
  if (problems.length) throw new Error(problems.join('; '));
  return overrides;
}

const target = (t: SlaTarget) => `${t.firstResponseMinutes},${t.resolutionMinutes}`;

/** The rules as a whole (whole minutes, targets ordered, tiers from the top…), checked once, named on the first variable. */
const RulesHoldTogether = () => HoldsTogether('serviceDeskRulesHoldTogether', 'the service-desk rules', (config: ServiceDeskConfig) => serviceDeskRuleProblems(config.rules));

/**
 * service-desk's environment (README: configuration): the shared variables, its default
 * port, and the numbers of DOMAIN.md's service desk a bank sets for itself (SLA targets in
 * working minutes, the tiers raised one priority, the reopen window), checked as a whole.
 */
export class ServiceDeskConfig extends ServiceConfig {
  override PORT = 3005;

  /** SLA targets per priority: `<first response>,<resolution>` in working minutes of the priority's clock. */
  @ParsesWith('isSlaTarget', parseSlaTarget) @RulesHoldTogether()
  SERVICE_DESK_SLA_P1_MINUTES = target(D.slaTargets.P1);
  @ParsesWith('isSlaTarget', parseSlaTarget)
  SERVICE_DESK_SLA_P2_MINUTES = target(D.slaTargets.P2);
  @ParsesWith('isSlaTarget', parseSlaTarget)
  SERVICE_DESK_SLA_P3_MINUTES = target(D.slaTargets.P3);
  /** Tiers whose tickets are raised one priority (never above P1): the top of the tier order, or NONE. */
  @ParsesWith('isTierList', parseTiers)
  SERVICE_DESK_RAISED_TIERS = D.raisedTiers.join(',');
  /** Days after its resolution during which a ticket may reopen. */
  @Type(() => Number) @IsInt() @Min(0) @Max(90)
  SERVICE_DESK_REOPEN_WINDOW_DAYS = D.reopenWindowDays;

  /** China's public holidays and make-up days as the bank changes them (every queue's calendar; P1 runs around the clock). */
  @ParsesWith('isCalendarOverrides', parseCalendarOverrides)
  SERVICE_DESK_CALENDAR_OVERRIDES = '';
  /** SLA stage jobs one instance runs at once. */
  @Type(() => Number) @IsInt() @Min(1) @Max(64)
  SERVICE_DESK_SLA_WORKER_CONCURRENCY = 8;
  /** How often NEW tickets are handed to the least-loaded agent of their queue with room (the roster: PUT /v1/agents/{id}). */
  @Type(() => Number) @IsInt() @Min(1) @Max(3600)
  SERVICE_DESK_ASSIGN_EVERY_SECONDS = 5;
  /** How often the settle job looks for tickets a crash left with unsent events or SLA jobs. */
  @Type(() => Number) @IsInt() @Min(1) @Max(3600)
  SERVICE_DESK_SETTLE_EVERY_SECONDS = 10;

  /** Redis keys of this deployment: the database name, so tests and tenants sharing a Redis never meet. */
  get redisPrefix(): string {
    return `${this.MONGODB_DATABASE ?? 'meridian_service_desk'}:`;
  }

  get rules(): ServiceDeskRules {
    const sla = [this.SERVICE_DESK_SLA_P1_MINUTES, this.SERVICE_DESK_SLA_P2_MINUTES, this.SERVICE_DESK_SLA_P3_MINUTES].map(parseSlaTarget);
    return {
      ...D,
      raisedTiers: parseTiers(this.SERVICE_DESK_RAISED_TIERS),
      slaTargets: Object.fromEntries(TICKET_PRIORITIES.map((p, i) => [p, sla[i]])) as ServiceDeskRules['slaTargets'],
      reopenWindowDays: this.SERVICE_DESK_REOPEN_WINDOW_DAYS,
    };
  }
}

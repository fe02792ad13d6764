import { TICKET_PRIORITIES, TICKET_QUEUES, TIERS, Tier, TicketQueue } from '@meridian/events';
import { HoldsTogether, ParsesWith, ServiceConfig } from '@meridian/shared';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { BusinessCalendar } from '../calendars/domain/business-calendar';
import { CalendarOverrides, NO_OVERRIDES, overrideProblems } from '../calendars/domain/calendar-overrides';
import { chinaBusinessCalendar } from '../calendars/domain/china-holidays';
import { QueueHours, queueHoursProblems, withQueueHours } from '../calendars/domain/queue-hours';
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

/** A variable's JSON object, or a refusal saying it `must be <what>`. */
function jsonObject(text: string, what: string): object {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`must be ${what}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`must be ${what}`);
  return parsed;
}

/** A bank's changes to China's official days, as JSON: `{"extraHolidays":["2026-12-24"]}`; fields left out change nothing; empty is none. */
export function parseCalendarOverrides(text: string): CalendarOverrides {
  if (!text.trim()) return NO_OVERRIDES;
  const parsed = jsonObject(text, 'a JSON object such as {"extraHolidays":["2026-12-24"]}');
  const unknown = Object.keys(parsed).filter((k) => !(k in NO_OVERRIDES));
  if (unknown.length) throw new Error(`names no override (${Object.keys(NO_OVERRIDES).join(', ')}): ${unknown.join(', ')}`);
  const overrides = { ...NO_OVERRIDES, ...(parsed as Partial<CalendarOverrides>) };
  const problems = overrideProblems(overrides);
  if (problems.length) throw new Error(problems.join('; '));
  return overrides;
}

/**
 * Queues' own working hours, as JSON: `{"DIGITAL":{"weeklyHours":{"SAT":[{"opens":"09:00","closes":"17:00"}]}}}`;
 * each weekday named replaces the standard day, any left out keeps it; empty is none.
 */
export function parseQueueHours(text: string): Record<string, QueueHours> {
  if (!text.trim()) return {};
  const byQueue = jsonObject(text, 'a JSON object of queues, such as {"DIGITAL":{"weeklyHours":{"SAT":[{"opens":"09:00","closes":"17:00"}]}}}') as Record<string, QueueHours>;
  const problems = queueHoursProblems(byQueue, TICKET_QUEUES, chinaBusinessCalendar());
  if (problems.length) throw new Error(problems.join('; '));
  return byQueue;
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
  /** Queues' own working hours over the bank's calendar (DOMAIN.md: per queue); a queue left out works 09:00–17:30, Monday to Friday. */
  @ParsesWith('isQueueHours', parseQueueHours)
  SERVICE_DESK_QUEUE_HOURS = '';
  /** SLA stage jobs one instance runs at once. */
  @Type(() => Number) @IsInt() @Min(1) @Max(64)
  SERVICE_DESK_SLA_WORKER_CONCURRENCY = 8;
  /** How often NEW tickets are handed to the least-loaded agent of their queue with room (the roster: PUT /v1/agents/{id}). */
  @Type(() => Number) @IsInt() @Min(1) @Max(3600)
  SERVICE_DESK_ASSIGN_EVERY_SECONDS = 5;
  /** How often the settle job looks for tickets a crash left with unsent events or SLA jobs. */
  @Type(() => Number) @IsInt() @Min(1) @Max(3600)
  SERVICE_DESK_SETTLE_EVERY_SECONDS = 10;

  /** The customer's newest tickets the agent's context view lists beside the one open (GET /v1/tickets/{id}). */
  @Type(() => Number) @IsInt() @Min(1) @Max(50)
  SERVICE_DESK_CONTEXT_TICKETS = 10;
  /** The customer's newest interactions kept for the agent's context view (each kind, from crm.interaction.v1). */
  @Type(() => Number) @IsInt() @Min(1) @Max(100)
  SERVICE_DESK_CONTEXT_INTERACTIONS = 20;

  /** Redis keys of this deployment: the database name, so tests and tenants sharing a Redis never meet. */
  get redisPrefix(): string {
    return `${this.MONGODB_DATABASE ?? 'meridian_service_desk'}:`;
  }

  /** Each queue's business calendar: China's days as the bank changed them, with the queue's own hours. */
  get queueCalendars(): Record<TicketQueue, BusinessCalendar> {
    const bank = chinaBusinessCalendar(parseCalendarOverrides(this.SERVICE_DESK_CALENDAR_OVERRIDES));
    const hours = parseQueueHours(this.SERVICE_DESK_QUEUE_HOURS);
    return Object.fromEntries(TICKET_QUEUES.map((q) => [q, withQueueHours(bank, hours[q])])) as Record<TicketQueue, BusinessCalendar>;
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

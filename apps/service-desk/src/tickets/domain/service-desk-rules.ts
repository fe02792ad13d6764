import { MARKETING_CHANNELS, MarketingChannel, TICKET_CATEGORIES, TICKET_PRIORITIES, TICKET_QUEUES, TIERS, TicketCategory, TicketPriority, TicketQueue, Tier } from '@meridian/events';

/** DOMAIN.md service desk: a priority's two SLA targets, in working minutes of its clock. */
export interface SlaTarget {
  firstResponseMinutes: number;
  resolutionMinutes: number;
}

/** The fractions of a target at which the clock's stages fall due (DOMAIN.md: warn at 80 %, level 1 at breach, level 2 at 2× breach). */
export interface SlaStageFractions {
  warn: number;
  breach: number;
  breach2x: number;
}

/**
 * The numbers of DOMAIN.md's service desk in one place: each bank sets its own, and the
 * service validates them at start (serviceDeskRuleProblems). The keyword tables of
 * classification are configuration too, in their own versioned file (routing-table.ts).
 */
export interface ServiceDeskRules {
  /** The category's priority before the tier raise: CARD_LOSS and DISPUTE P1, COMPLAINT P2, others P3. */
  priorityByCategory: Record<TicketCategory, TicketPriority>;
  /** Tiers raised one level (never above P1): the top of the tier order, so priority stays monotone in tier. */
  raisedTiers: readonly Tier[];
  slaTargets: Record<TicketPriority, SlaTarget>;
  stageFractions: SlaStageFractions;
  /** Priorities whose clocks run around the clock; the others count the queue's business calendar. */
  aroundTheClockPriorities: readonly TicketPriority[];
  /** Queues that run around the clock for every priority ("unless a queue says otherwise"). */
  aroundTheClockQueues: readonly TicketQueue[];
  /** A RESOLVED ticket may reopen until this many days (of 24 h) after its resolution. */
  reopenWindowDays: number;
  /** The channels a survey may go on, the customer's own preference aside, most preferred first. */
  surveyChannelOrder: readonly MarketingChannel[];
}

const MINUTES = 1;
const HOURS = 60 * MINUTES;

export const DEFAULT_SERVICE_DESK_RULES: ServiceDeskRules = {
  priorityByCategory: { CARD_LOSS: 'P1', DISPUTE: 'P1', COMPLAINT: 'P2', INQUIRY: 'P3', SERVICE_REQUEST: 'P3' },
  raisedTiers: ['DIAMOND', 'GOLD'],
  slaTargets: {
    P1: { firstResponseMinutes: 15 * MINUTES, resolutionMinutes: 4 * HOURS },
    P2: { firstResponseMinutes: 1 * HOURS, resolutionMinutes: 24 * HOURS },
    P3: { firstResponseMinutes: 4 * HOURS, resolutionMinutes: 72 * HOURS },
  },
  stageFractions: { warn: 0.8, breach: 1, breach2x: 2 },
  aroundTheClockPriorities: ['P1'],
  aroundTheClockQueues: [],
  reopenWindowDays: 7,
  surveyChannelOrder: ['app_push', 'sms', 'wechat', 'email', 'phone'],
};

const within = <T>(known: readonly T[], xs: readonly T[]) => xs.every((x) => known.includes(x));
const distinct = <T>(xs: readonly T[]) => new Set(xs).size === xs.length;
const positiveWhole = (n: number) => Number.isSafeInteger(n) && n > 0;

/** What is wrong with a bank's service-desk rules, one message a rule (empty when they hold together). */
export function serviceDeskRuleProblems(rules: ServiceDeskRules): string[] {
  const problems: string[] = [];
  const badCategories = TICKET_CATEGORIES.filter((c) => !TICKET_PRIORITIES.includes(rules.priorityByCategory[c]));
  if (badCategories.length) problems.push(`priorityByCategory needs a priority (${TICKET_PRIORITIES.join(', ')}) for every category (not: ${badCategories.join(', ')})`);
  const rank = rules.raisedTiers.map((t) => TIERS.indexOf(t)).sort((a, b) => a - b);
  if (!within(TIERS, rules.raisedTiers) || !distinct(rules.raisedTiers) || rank.some((r, i) => r !== i)) {
    problems.push(`raisedTiers must be the top of ${TIERS.join(' > ')} (none, DIAMOND, DIAMOND and GOLD, …), each once`);
  }
  problems.push(...slaTargetProblems(rules.slaTargets));
  const { warn, breach, breach2x } = rules.stageFractions;
  if (!(warn > 0 && warn < breach && breach < breach2x && Number.isFinite(breach2x))) problems.push('stageFractions must hold 0 < warn < breach < breach2x');
  if (!within(TICKET_PRIORITIES, rules.aroundTheClockPriorities) || !distinct(rules.aroundTheClockPriorities)) problems.push(`aroundTheClockPriorities must name priorities (${TICKET_PRIORITIES.join(', ')}), each once`);
  if (!within(TICKET_QUEUES, rules.aroundTheClockQueues) || !distinct(rules.aroundTheClockQueues)) problems.push(`aroundTheClockQueues must name queues (${TICKET_QUEUES.join(', ')}), each once`);
  if (!(Number.isFinite(rules.reopenWindowDays) && rules.reopenWindowDays >= 0)) problems.push('reopenWindowDays must be 0 or more');
  const order = rules.surveyChannelOrder;
  if (order.length === 0 || !within(MARKETING_CHANNELS, order) || !distinct(order)) problems.push(`surveyChannelOrder must name at least one channel (${MARKETING_CHANNELS.join(', ')}), each once`);
  return problems;
}

function slaTargetProblems(targets: Record<TicketPriority, SlaTarget>): string[] {
  const problems: string[] = [];
  for (const p of TICKET_PRIORITIES) {
    const t = targets[p];
    if (!t || !positiveWhole(t.firstResponseMinutes) || !positiveWhole(t.resolutionMinutes)) problems.push(`slaTargets.${p} needs whole minutes above 0 for first response and resolution`);
    else if (t.firstResponseMinutes > t.resolutionMinutes) problems.push(`slaTargets.${p}: the first response target must not exceed the resolution target`);
  }
  if (problems.length) return problems;
  const loosening = (k: keyof SlaTarget) => TICKET_PRIORITIES.every((p, i) => i === 0 || targets[p][k] >= targets[TICKET_PRIORITIES[i - 1]][k]);
  if (!loosening('firstResponseMinutes') || !loosening('resolutionMinutes')) problems.push('slaTargets must not tighten from P1 to P3');
  return problems;
}

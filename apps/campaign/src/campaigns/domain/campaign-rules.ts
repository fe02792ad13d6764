/**
 * The numbers of DOMAIN.md's campaigns in one place (issue 12): each bank sets its own, and the
 * service validates them at start (campaignRuleProblems). A campaign's own settings (its control
 * share, caps, window, target) default to these and are checked against the same bounds.
 */
export interface CampaignRules {
  /** Marketing messages a customer receives at most across campaigns, per window. */
  customerCap: { messages: number; days: number };
  /** Messages one campaign sends one customer at most, per window. */
  campaignCap: { messages: number; days: number };
  /** Channels that stay silent in quiet hours (postponed to the window's end, never dropped). */
  quietChannels: readonly string[];
  /** Quiet hours in the customer's local time, 'HH:mm'; `from` after `until` spans midnight. */
  quietHours: { from: string; until: string };
  /** The customer's local time zone when the profile names none (IANA). */
  defaultTimeZone: string;
  /** The share of a campaign's audience held out as control when the campaign names none. */
  controlShare: number;
  /** The largest control share a campaign may ask for: a campaign is for reaching customers. */
  maxControlShare: number;
  /** Days after a message during which a goal event is credited to it (last touch). */
  attributionWindowDays: number;
  /** KPI watch: YELLOW at or above this share of the target conversion rate, RED below. */
  kpiYellowShare: number;
  /** KPI watch: weeks RED in a row that publish CampaignKpiAlert. */
  kpiRedWeeks: number;
  /** Channel choice: deliveries of history a tier or segment needs before conversion picks the channel. */
  channelHistoryMinDeliveries: number;
  /** Suggestion: a channel converting at least this many times another's. */
  channelSuggestionRatio: number;
  /** Retirement: an open rate below this share… */
  retireBelowOpenRate: number;
  /** …over at least this many deliveries flags a template or variant. */
  retireMinDeliveries: number;
  /** A campaign's RM task (channel `phone`: the customer's RM calls) is due this many hours after its decision… */
  rmTaskDueHours: number;
  /** …and a DIAMOND customer's within this many (DOMAIN.md: a dedicated RM task within 24 h). */
  diamondRmTaskDueHours: number;
}

export const DEFAULT_CAMPAIGN_RULES: CampaignRules = {
  customerCap: { messages: 2, days: 7 },
  campaignCap: { messages: 1, days: 30 },
  quietChannels: ['sms', 'phone'],
  quietHours: { from: '21:00', until: '08:00' },
  defaultTimeZone: 'Asia/Shanghai',
  controlShare: 0.1,
  maxControlShare: 0.5,
  attributionWindowDays: 14,
  kpiYellowShare: 0.8,
  kpiRedWeeks: 2,
  channelHistoryMinDeliveries: 200,
  channelSuggestionRatio: 2,
  retireBelowOpenRate: 0.05,
  retireMinDeliveries: 1000,
  rmTaskDueHours: 72,
  diamondRmTaskDueHours: 24,
};

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
const positiveWhole = (n: number) => Number.isSafeInteger(n) && n > 0;
const share = (n: number) => Number.isFinite(n) && n >= 0 && n <= 1;

/** What is wrong with a bank's campaign rules, one message a rule naming the field (empty when they hold together). */
export function campaignRuleProblems(rules: CampaignRules, knownChannels: readonly string[], isTimeZone: (zone: string) => boolean): string[] {
  const problems: string[] = [];
  for (const cap of ['customerCap', 'campaignCap'] as const) {
    if (!positiveWhole(rules[cap].messages) || !positiveWhole(rules[cap].days)) problems.push(`${cap} needs whole messages and days above 0`);
  }
  if (positiveWhole(rules.campaignCap.messages) && positiveWhole(rules.customerCap.messages) && rules.campaignCap.messages > rules.customerCap.messages && rules.campaignCap.days <= rules.customerCap.days) {
    problems.push('campaignCap must not allow more messages than customerCap over a window as short');
  }
  const unknown = rules.quietChannels.filter((c) => !knownChannels.includes(c));
  if (unknown.length || new Set(rules.quietChannels).size !== rules.quietChannels.length) problems.push(`quietChannels must name channels (${knownChannels.join(', ')}), each once`);
  if (!HH_MM.test(rules.quietHours.from) || !HH_MM.test(rules.quietHours.until)) problems.push("quietHours needs 'HH:mm' times for from and until");
  else if (rules.quietHours.from === rules.quietHours.until) problems.push('quietHours.from and until must differ (empty quiet hours: name no quietChannels)');
  if (!isTimeZone(rules.defaultTimeZone)) problems.push(`defaultTimeZone: '${rules.defaultTimeZone}' is not an IANA time zone`);
  if (!share(rules.maxControlShare) || rules.maxControlShare >= 1) problems.push('maxControlShare must be at least 0 and below 1');
  else if (!share(rules.controlShare) || rules.controlShare > rules.maxControlShare) problems.push(`controlShare must be between 0 and maxControlShare (${rules.maxControlShare})`);
  if (!positiveWhole(rules.attributionWindowDays) || rules.attributionWindowDays > 365) problems.push('attributionWindowDays must be a whole number of days from 1 to 365');
  if (!(rules.kpiYellowShare > 0 && rules.kpiYellowShare < 1)) problems.push('kpiYellowShare must be above 0 and below 1');
  if (!positiveWhole(rules.kpiRedWeeks)) problems.push('kpiRedWeeks must be a whole number above 0');
  if (!positiveWhole(rules.channelHistoryMinDeliveries)) problems.push('channelHistoryMinDeliveries must be a whole number above 0');
  if (!(Number.isFinite(rules.channelSuggestionRatio) && rules.channelSuggestionRatio > 1)) problems.push('channelSuggestionRatio must be above 1');
  if (!(rules.retireBelowOpenRate > 0 && rules.retireBelowOpenRate < 1)) problems.push('retireBelowOpenRate must be above 0 and below 1');
  if (!positiveWhole(rules.retireMinDeliveries)) problems.push('retireMinDeliveries must be a whole number above 0');
  if (!positiveWhole(rules.diamondRmTaskDueHours) || !positiveWhole(rules.rmTaskDueHours) || rules.diamondRmTaskDueHours > rules.rmTaskDueHours || rules.rmTaskDueHours > 24 * 30) {
    problems.push('rmTaskDueHours and diamondRmTaskDueHours must be whole hours above 0, the DIAMOND one no later, at most 30 days');
  }
  return problems;
}

/** Minutes after local midnight of 'HH:mm'. */
const minuteOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Is a local wall-clock minute (0–1439) inside the quiet hours? `from` is quiet, `until` is not;
 * a window whose `from` is after its `until` spans midnight (21:00–08:00).
 */
export function isQuietMinute(minute: number, quiet: CampaignRules['quietHours']): boolean {
  const [from, until] = [minuteOf(quiet.from), minuteOf(quiet.until)];
  return from < until ? minute >= from && minute < until : minute >= from || minute < until;
}

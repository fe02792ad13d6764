import { HoldsTogether, ParsesWith, ServiceConfig } from '@meridian/shared';
import { MARKETING_CHANNELS } from '@meridian/events';
import { Type } from 'class-transformer';
import { IsInt, IsNumber, Max, Min } from 'class-validator';
import { CampaignRules, DEFAULT_CAMPAIGN_RULES as D, campaignRuleProblems } from '../campaigns/domain/campaign-rules';

/** `<messages>/<days>`, whole numbers, e.g. `2/7`. */
export function parseCap(text: string): { messages: number; days: number } {
  const m = /^\s*(\d{1,6})\s*\/\s*(\d{1,4})\s*$/.exec(text);
  if (!m) throw new Error('must be <messages>/<days>, whole numbers, e.g. 2/7');
  return { messages: Number(m[1]), days: Number(m[2]) };
}

/** `HH:mm-HH:mm` in the customer's local time, e.g. `21:00-08:00` (across midnight). */
export function parseQuietHours(text: string): { from: string; until: string } {
  const m = /^\s*(\d{2}:\d{2})\s*-\s*(\d{2}:\d{2})\s*$/.exec(text);
  if (!m) throw new Error('must be HH:mm-HH:mm, e.g. 21:00-08:00');
  return { from: m[1], until: m[2] };
}

/** Channels, comma-separated, or NONE. */
export function parseChannels(text: string): string[] {
  return text.trim().toUpperCase() === 'NONE' ? [] : text.split(',').map((c) => c.trim()).filter(Boolean);
}

const isTimeZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

const RulesHoldTogether = () => HoldsTogether('campaignRulesHoldTogether', 'the campaign rules', (config: CampaignConfig) => campaignRuleProblems(config.rules, MARKETING_CHANNELS, isTimeZone));

/**
 * campaign's environment (README: configuration): the shared variables, its default port, and
 * the numbers of DOMAIN.md's campaigns a bank sets for itself, checked as a whole at start.
 */
export class CampaignConfig extends ServiceConfig {
  override PORT = 3004;

  /** Marketing messages a customer receives at most across campaigns: `<messages>/<days>`. */
  @ParsesWith('isCap', parseCap) @RulesHoldTogether()
  CAMPAIGN_CUSTOMER_CAP = `${D.customerCap.messages}/${D.customerCap.days}`;
  /** Messages one campaign sends one customer at most, unless the campaign sets a tighter cap. */
  @ParsesWith('isCap', parseCap)
  CAMPAIGN_CAMPAIGN_CAP = `${D.campaignCap.messages}/${D.campaignCap.days}`;
  /** Channels silent in quiet hours (postponed to the window's end). */
  @ParsesWith('isChannelList', parseChannels)
  CAMPAIGN_QUIET_CHANNELS = D.quietChannels.join(',');
  /** Quiet hours in the customer's local time. */
  @ParsesWith('isQuietHours', parseQuietHours)
  CAMPAIGN_QUIET_HOURS = `${D.quietHours.from}-${D.quietHours.until}`;
  /** The customers' time zone (IANA) where the profile names none. */
  CAMPAIGN_TIME_ZONE = D.defaultTimeZone;
  /** The control share of a campaign that names none, and the largest a campaign may ask for. */
  @Type(() => Number) @IsNumber() @Min(0) @Max(1)
  CAMPAIGN_CONTROL_SHARE = D.controlShare;
  @Type(() => Number) @IsNumber() @Min(0) @Max(1)
  CAMPAIGN_MAX_CONTROL_SHARE = D.maxControlShare;
  /** Days after a message during which a goal event is credited to it. */
  @Type(() => Number) @IsInt() @Min(1) @Max(365)
  CAMPAIGN_ATTRIBUTION_DAYS = D.attributionWindowDays;
  /** How often an instance re-reads the campaign definitions (another instance's edits reach it within this). */
  @Type(() => Number) @IsInt() @Min(1) @Max(3600)
  CAMPAIGN_CATALOGUE_REFRESH_SECONDS = 5;
  /** A trigger older than this (a replay of crm.segment.v1) is kept as a fact and sets no campaign off. */
  @Type(() => Number) @IsInt() @Min(1) @Max(720)
  CAMPAIGN_TRIGGER_MAX_AGE_HOURS = 24;
  /** How often the KPI watch looks at the campaigns' ended weeks (one instance a time). */
  @Type(() => Number) @IsInt() @Min(1) @Max(86_400)
  CAMPAIGN_KPI_EVERY_SECONDS = 3600;
  /** Postponed decisions (quiet hours) one instance re-takes at once. */
  @Type(() => Number) @IsInt() @Min(1) @Max(64)
  CAMPAIGN_POSTPONED_CONCURRENCY = 8;

  /** Redis keys of this deployment: the database name, so tests and tenants sharing a Redis never meet. */
  get redisPrefix(): string {
    return `${this.MONGODB_DATABASE ?? 'meridian_campaign'}:`;
  }

  get rules(): CampaignRules {
    return {
      ...D,
      customerCap: parseCap(this.CAMPAIGN_CUSTOMER_CAP),
      campaignCap: parseCap(this.CAMPAIGN_CAMPAIGN_CAP),
      quietChannels: parseChannels(this.CAMPAIGN_QUIET_CHANNELS),
      quietHours: parseQuietHours(this.CAMPAIGN_QUIET_HOURS),
      defaultTimeZone: this.CAMPAIGN_TIME_ZONE,
      controlShare: this.CAMPAIGN_CONTROL_SHARE,
      maxControlShare: this.CAMPAIGN_MAX_CONTROL_SHARE,
      attributionWindowDays: this.CAMPAIGN_ATTRIBUTION_DAYS,
    };
  }
}

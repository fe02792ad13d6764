import { HoldsTogether, ParsesWith, ServiceConfig, isHttpsOrLoopbackUrl } from '@meridian/shared';
import { MARKETING_CHANNELS, PRODUCT_TYPES, ProductType } from '@meridian/events';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min, MinLength, ValidateBy, ValidateIf } from 'class-validator';
import { CampaignRules, DEFAULT_CAMPAIGN_RULES as D, campaignRuleProblems } from '../campaigns/domain/campaign-rules';
import { DEFAULT_LEAD_RULES as LR, LeadRules, leadRuleProblems } from '../leads/domain/lead-rules';
import { DEFAULT_RM_TASK_RULES as TR, RmTaskRules } from '../leads/domain/rm-task';
import { DEFAULT_LOYALTY_RULES as L, LoyaltyRules, loyaltyRuleProblems } from '../loyalty/domain/loyalty-rules';

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

/** Each config's rules, once read. */
const RULES = new WeakMap<object, CampaignRules>();
const LOYALTY = new WeakMap<object, LoyaltyRules>();
const LEADS = new WeakMap<object, LeadRules>();

const RulesHoldTogether = () => HoldsTogether('campaignRulesHoldTogether', 'the campaign rules', (config: CampaignConfig) => campaignRuleProblems(config.rules, MARKETING_CHANNELS, isTimeZone));

const LoyaltyHoldsTogether = () => HoldsTogether('loyaltyRulesHoldTogether', 'the loyalty rules', (config: CampaignConfig) => loyaltyRuleProblems(config.loyalty, PRODUCT_TYPES));

const LeadsHoldTogether = () => HoldsTogether('leadRulesHoldTogether', 'the lead rules', (config: CampaignConfig) => leadRuleProblems(config.leads, PRODUCT_TYPES));

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

  /** Where messages of sms, email, app_push and wechat go: `webhook` (the bank's channel gateway) or `outbox` (a file or the log: local runs). `phone` always becomes an RM task. */
  @IsIn(['webhook', 'outbox'])
  CAMPAIGN_DELIVERY_ADAPTER: 'webhook' | 'outbox' = 'outbox';
  /** The channel gateway's endpoint (required with the webhook adapter): https, or http on loopback. */
  @ValidateIf((c: CampaignConfig) => c.CAMPAIGN_DELIVERY_ADAPTER === 'webhook' || c.CAMPAIGN_WEBHOOK_URL !== undefined)
  @ValidateBy({ name: 'isHttpsOrLoopbackUrl', validator: { validate: isHttpsOrLoopbackUrl } }, { message: 'CAMPAIGN_WEBHOOK_URL must be an https:// URL (http:// only on loopback) with the webhook adapter' })
  CAMPAIGN_WEBHOOK_URL?: string;
  /** Signs each webhook body (HMAC-SHA256, `x-meridian-signature`), when set. */
  @IsOptional() @IsString() @MinLength(16, { message: 'CAMPAIGN_WEBHOOK_SECRET must be at least 16 characters' })
  CAMPAIGN_WEBHOOK_SECRET?: string;
  /** A webhook call is cut after this long (a timeout is worth another try). */
  @Type(() => Number) @IsInt() @Min(100) @Max(60_000)
  CAMPAIGN_WEBHOOK_TIMEOUT_MS = 5_000;
  /** Calls within one hand-over, with exponential backoff between them. */
  @Type(() => Number) @IsInt() @Min(1) @Max(10)
  CAMPAIGN_WEBHOOK_TRIES = 3;
  /** Consecutive failed calls that open the circuit to the gateway… */
  @Type(() => Number) @IsInt() @Min(1) @Max(1_000)
  CAMPAIGN_WEBHOOK_BREAK_AFTER = 5;
  /** …and how long it stays open before one trial call. */
  @Type(() => Number) @IsInt() @Min(100) @Max(3_600_000)
  CAMPAIGN_WEBHOOK_HALF_OPEN_MS = 10_000;
  /** With the outbox adapter: the file each message is appended to as a JSON line (absent: the log). */
  @IsOptional() @IsString()
  CAMPAIGN_OUTBOX_FILE?: string;
  /** Hand-overs of a message before its failure is reported (CampaignDeliveryFailed)… */
  @Type(() => Number) @IsInt() @Min(1) @Max(100)
  CAMPAIGN_DELIVERY_ATTEMPTS = 12;
  /** …waiting this × 2ⁿ⁻¹ ms before attempt n + 1 (capped at an hour): 12 attempts at 1 s span about an hour. */
  @Type(() => Number) @IsInt() @Min(10) @Max(600_000)
  CAMPAIGN_DELIVERY_BACKOFF_MS = 1_000;
  /** A request older than this is not handed over (a replay of the topic, a job held too long: given up on, reported EXPIRED). */
  @Type(() => Number) @IsInt() @Min(1) @Max(720)
  CAMPAIGN_DELIVERY_MAX_AGE_HOURS = 24;
  /** Messages one instance hands over at once. */
  @Type(() => Number) @IsInt() @Min(1) @Max(256)
  CAMPAIGN_DELIVERY_CONCURRENCY = 16;
  /** Partitions of the customer base a scheduled campaign is decided over (each checkpointed: a run resumes at its first partition not done). */
  @Type(() => Number) @IsInt() @Min(1) @Max(4_096)
  CAMPAIGN_BATCH_PARTITIONS = 64;
  /** Customers a batch run decides at once. */
  @Type(() => Number) @IsInt() @Min(1) @Max(10_000)
  CAMPAIGN_BATCH_STEP = 500;
  /** Documents a step of the copy of MongoDB's customers into the Redis facts decisions read (ADR 0015). */
  @Type(() => Number) @IsInt() @Min(1) @Max(10_000)
  CAMPAIGN_FACTS_COPY_STEP = 1_000;
  /** An RM task (channel `phone`) is due this many hours after its decision; a DIAMOND customer's within the second. */
  @Type(() => Number) @IsInt() @Min(1) @Max(720)
  CAMPAIGN_RM_TASK_DUE_HOURS = D.rmTaskDueHours;
  @Type(() => Number) @IsInt() @Min(1) @Max(720)
  CAMPAIGN_DIAMOND_RM_TASK_DUE_HOURS = D.diamondRmTaskDueHours;

  /** CNY minor units of card PURCHASE that earn one loyalty point (DOMAIN.md: 1 point per 100 CNY). */
  @Type(() => Number) @IsInt() @Min(1) @LoyaltyHoldsTogether()
  LOYALTY_MINOR_PER_POINT = L.minorPerPoint;
  /** Products whose PURCHASE debits earn points, comma-separated. */
  @IsString()
  LOYALTY_EARNING_PRODUCT_TYPES = L.earningProductTypes.join(',');
  /** Calendar months after which awarded points lapse, oldest first (DOMAIN.md: 24). */
  @Type(() => Number) @IsInt() @Min(1) @Max(120)
  LOYALTY_EXPIRY_MONTHS = L.expiryMonths;
  /** Points for a referral, once a referred customer; and for a campaign goal met, once a converted message. */
  @Type(() => Number) @IsInt() @Min(0) @Max(1_000_000)
  LOYALTY_REFERRAL_POINTS = L.referralPoints;
  @Type(() => Number) @IsInt() @Min(0) @Max(1_000_000)
  LOYALTY_GOAL_POINTS = L.goalPoints;
  /** The most points one redemption may ask for (a bound on a mistyped request). */
  @Type(() => Number) @IsInt() @Min(1)
  LOYALTY_MAX_REDEMPTION_POINTS = L.maxRedemptionPoints;
  /** When the daily points expiry runs (one instance a time, as of its own instant), in CAMPAIGN_TIME_ZONE. */
  @IsString() @Matches(/^\S+( \S+){4,5}$/, { message: 'LOYALTY_EXPIRY_CRON must be a cron pattern of 5 or 6 fields' })
  LOYALTY_EXPIRY_CRON = '30 1 * * *';
  /** How often the announce jobs look for points accounts and leads written but not announced (Kafka down after a write, a crash). */
  @Type(() => Number) @IsInt() @Min(1) @Max(3_600)
  LOYALTY_ANNOUNCE_EVERY_SECONDS = 60;

  /** A customer whose lead score reaches this is a lead; at or above LEADS_OWN_RM_AT it goes to their own RM (DOMAIN.md: 70). */
  @Type(() => Number) @IsInt() @Min(1) @Max(100) @LeadsHoldTogether()
  LEADS_QUALIFY_AT = LR.qualifyAt;
  @Type(() => Number) @IsInt() @Min(1) @Max(100)
  LEADS_OWN_RM_AT = LR.ownRmAt;
  /** Open leads an RM holds at most, unless the roster gives them their own limit. */
  @Type(() => Number) @IsInt() @Min(1) @Max(10_000)
  LEADS_RM_OPEN_LEAD_LIMIT = LR.rmOpenLeadLimit;
  /** Days an intent interaction (a wealth inquiry, a product page view) counts for. */
  @Type(() => Number) @IsInt() @Min(1) @Max(365)
  LEADS_INTENT_WINDOW_DAYS = LR.intentWindowDays;
  /** Days before a customer whose lead was closed gets a new one. */
  @Type(() => Number) @IsInt() @Min(0) @Max(3_650)
  LEADS_REOPEN_AFTER_DAYS = LR.reopenAfterDays;

  /** A lead's follow-up task is due this many hours after its assignment; one of the own RM's customers (≥ LEADS_OWN_RM_AT) within the second. */
  @Type(() => Number) @IsInt() @Min(1) @Max(720)
  LEADS_FOLLOW_UP_HOURS = TR.followUpHours;
  @Type(() => Number) @IsInt() @Min(1) @Max(720)
  LEADS_OWN_RM_FOLLOW_UP_HOURS = TR.ownRmFollowUpHours;
  /** An overdue task's escalation to the branch manager is due this many hours after it was raised; a call that did not reach the customer is tried again after the second. */
  @Type(() => Number) @IsInt() @Min(1) @Max(720)
  LEADS_ESCALATION_HOURS = TR.escalationHours;
  @Type(() => Number) @IsInt() @Min(1) @Max(720)
  LEADS_RETRY_AFTER_HOURS = TR.retryAfterHours;
  /** How often overdue RM tasks are looked for (one instance a time). */
  @Type(() => Number) @IsInt() @Min(10) @Max(86_400)
  LEADS_ESCALATE_EVERY_SECONDS = 300;

  /** Redis keys of this deployment: the database name, so tests and tenants sharing a Redis never meet. */
  get redisPrefix(): string {
    return `${this.MONGODB_DATABASE ?? 'meridian_campaign'}:`;
  }

  /** The campaign rules, read once (the environment does not change under a running service). */
  get rules(): CampaignRules {
    const known = RULES.get(this);
    if (known) return known;
    const rules: CampaignRules = {
      ...D,
      customerCap: parseCap(this.CAMPAIGN_CUSTOMER_CAP),
      campaignCap: parseCap(this.CAMPAIGN_CAMPAIGN_CAP),
      quietChannels: parseChannels(this.CAMPAIGN_QUIET_CHANNELS),
      quietHours: parseQuietHours(this.CAMPAIGN_QUIET_HOURS),
      defaultTimeZone: this.CAMPAIGN_TIME_ZONE,
      controlShare: this.CAMPAIGN_CONTROL_SHARE,
      maxControlShare: this.CAMPAIGN_MAX_CONTROL_SHARE,
      attributionWindowDays: this.CAMPAIGN_ATTRIBUTION_DAYS,
      rmTaskDueHours: this.CAMPAIGN_RM_TASK_DUE_HOURS,
      diamondRmTaskDueHours: this.CAMPAIGN_DIAMOND_RM_TASK_DUE_HOURS,
    };
    RULES.set(this, rules);
    return rules;
  }

  /** The lead rules, read once: DOMAIN.md's defaults with the bank's numbers above. */
  get leads(): LeadRules {
    const known = LEADS.get(this);
    if (known) return known;
    const rules: LeadRules = { ...LR, qualifyAt: this.LEADS_QUALIFY_AT, ownRmAt: this.LEADS_OWN_RM_AT, rmOpenLeadLimit: this.LEADS_RM_OPEN_LEAD_LIMIT, intentWindowDays: this.LEADS_INTENT_WINDOW_DAYS, reopenAfterDays: this.LEADS_REOPEN_AFTER_DAYS };
    LEADS.set(this, rules);
    return rules;
  }

  /** The RM tasks' hours: a DIAMOND customer's retention call within CAMPAIGN_DIAMOND_RM_TASK_DUE_HOURS (DOMAIN.md: 24 h), as a campaign's call to them. */
  get rmTasks(): RmTaskRules {
    return { followUpHours: this.LEADS_FOLLOW_UP_HOURS, ownRmFollowUpHours: this.LEADS_OWN_RM_FOLLOW_UP_HOURS, retentionCallHours: this.CAMPAIGN_DIAMOND_RM_TASK_DUE_HOURS, escalationHours: this.LEADS_ESCALATION_HOURS, retryAfterHours: this.LEADS_RETRY_AFTER_HOURS };
  }

  /** The loyalty rules, read once. */
  get loyalty(): LoyaltyRules {
    const known = LOYALTY.get(this);
    if (known) return known;
    const rules: LoyaltyRules = {
      minorPerPoint: this.LOYALTY_MINOR_PER_POINT,
      earningProductTypes: parseChannels(this.LOYALTY_EARNING_PRODUCT_TYPES) as ProductType[],
      expiryMonths: this.LOYALTY_EXPIRY_MONTHS,
      referralPoints: this.LOYALTY_REFERRAL_POINTS,
      goalPoints: this.LOYALTY_GOAL_POINTS,
      maxRedemptionPoints: this.LOYALTY_MAX_REDEMPTION_POINTS,
    };
    LOYALTY.set(this, rules);
    return rules;
  }
}

import type { MarketingChannel, Tier } from '@meridian/events';
import type { CampaignRules } from './campaign-rules';
import type { CampaignStatus } from './campaign-status';
import { sendableAt } from './quiet-hours';
import { HOUR_MS, PAUSED_RECHECK_MS } from './durations';

/** A requested message on its way to a channel (CampaignMessageRequested, as the adapters get it). */
export interface OutboundMessage {
  messageId: string;
  campaignId: string;
  customerId: string;
  channel: MarketingChannel;
  templateId: string;
  content: string;
  /** When the decision requested it (the event's occurredAt). */
  requestedAt: string;
}

/**
 * Why a hand-over did not take: `retryable` failures are tried again (with backoff) until the
 * attempts run out; the others are final at once (a gateway that refuses the message, a task
 * with no RM to give it to). Either way the failure is reported, never dropped.
 */
export class DeliveryFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    /** Set when the channel cannot be tried before then (an open circuit): the hand-over waits, spending no attempt. */
    readonly retryAt?: number,
  ) {
    super(message);
  }
}

/** What a hand-over does now: go, wait (and until when), or give the message up, reported with a code. */
export type HandOver = { kind: 'GO' } | { kind: 'WAIT'; until: string; why: 'PAUSED' | 'QUIET_HOURS' } | { kind: 'DROP'; code: 'ERASED' | 'CAMPAIGN_ENDED' | 'EXPIRED' | 'OPTED_OUT'; message: string };

export interface HandOverInput {
  message: OutboundMessage;
  now: string;
  /** The campaign as it stands now (absent: gone from the catalogue). */
  campaign?: { status: CampaignStatus; endAt?: string };
  /** Channels the customer opted out of since the decision. */
  optedOut: readonly MarketingChannel[];
  /** The customer was erased since the decision (PIPL): nothing more reaches them. */
  erased?: boolean;
  /** A request older than this is not handed over (a replay, a job held too long). */
  maxAgeHours: number;
  rules: Pick<CampaignRules, 'quietChannels' | 'quietHours' | 'defaultTimeZone'>;
}

/**
 * The checks a hand-over makes again, since time passed after the decision (a retry, a backlog,
 * a pause): the customer not erased since, the campaign still running (PAUSED: wait; ended or
 * gone: give up), the request not too old, the customer not opted out of the channel since, and the channel not quiet now (wait
 * for the window's end). Consent and caps were settled at the decision and are not undone.
 */
export function handOverOf(input: HandOverInput): HandOver {
  const { message, now, campaign } = input;
  const nowMs = Date.parse(now);
  if (input.erased) return { kind: 'DROP', code: 'ERASED', message: 'the customer was erased after the decision' };
  if (!campaign || campaign.status === 'COMPLETED' || campaign.status === 'DRAFT' || (campaign.endAt !== undefined && nowMs >= Date.parse(campaign.endAt))) {
    return { kind: 'DROP', code: 'CAMPAIGN_ENDED', message: `campaign ${message.campaignId} ended before the message could be handed over` };
  }
  if (nowMs - Date.parse(message.requestedAt) > input.maxAgeHours * HOUR_MS) return { kind: 'DROP', code: 'EXPIRED', message: `requested ${message.requestedAt}, more than ${input.maxAgeHours} h ago` };
  if (input.optedOut.includes(message.channel)) return { kind: 'DROP', code: 'OPTED_OUT', message: `the customer opted out of ${message.channel} after the decision` };
  if (campaign.status === 'PAUSED') return { kind: 'WAIT', until: new Date(nowMs + PAUSED_RECHECK_MS).toISOString(), why: 'PAUSED' };
  const at = sendableAt(now, message.channel, input.rules.defaultTimeZone, input.rules);
  return at !== now ? { kind: 'WAIT', until: at, why: 'QUIET_HOURS' } : { kind: 'GO' };
}

/**
 * What a gateway's HTTP status means for the message: 2xx taken; 409 taken before (the gateway
 * de-duplicates on the idempotency key: the message is there, once); 408, 425, 429 and 5xx worth
 * another try; any other 4xx a refusal no retry will change.
 */
export function verdictOfStatus(status: number): 'ACCEPTED' | DeliveryFailure {
  if ((status >= 200 && status < 300) || status === 409) return 'ACCEPTED';
  const retryable = status === 408 || status === 425 || status === 429 || status >= 500;
  return new DeliveryFailure(`HTTP_${status}`, `the gateway answered ${status}`, retryable);
}

/** A task in the RM's work list (RmTaskCreated): the RM calls the customer for the campaign. */
export interface RmTask {
  taskId: string;
  rmId: string;
  kind: 'CAMPAIGN_CALL';
  dueAt: string;
  reason: string;
}

const REASON_MAX = 500;

/**
 * The `phone` channel's message as an RM task (issue 12, point 4): given to the customer's RM,
 * due `rmTaskDueHours` after the decision — `diamondRmTaskDueHours` for a DIAMOND customer
 * (DOMAIN.md: within 24 h) — with the campaign's name and the copy the RM is to convey. A
 * customer with no RM cannot be called: a final failure (the channel choice passes `phone` over
 * for them, so this is a profile changed since the decision).
 */
export function rmTaskOf(message: OutboundMessage, customer: { rmId?: string; tier?: Tier }, campaignName: string, rules: Pick<CampaignRules, 'rmTaskDueHours' | 'diamondRmTaskDueHours'>): RmTask {
  if (!customer.rmId) throw new DeliveryFailure('NO_RM', `customer ${message.customerId} has no relationship manager to call them`, false);
  const hours = customer.tier === 'DIAMOND' ? rules.diamondRmTaskDueHours : rules.rmTaskDueHours;
  return {
    taskId: `task-${message.messageId}`,
    rmId: customer.rmId,
    kind: 'CAMPAIGN_CALL',
    dueAt: new Date(Date.parse(message.requestedAt) + hours * HOUR_MS).toISOString(),
    reason: `${campaignName}: ${message.content}`.slice(0, REASON_MAX),
  };
}

import type { MarketingChannel, SuppressionReason } from '@meridian/events';
import type { CampaignFacts } from './campaign-facts';
import type { CampaignRules } from './campaign-rules';
import { isDeciding } from './campaign-status';
import { ChannelHistory, chooseChannel } from './channel-choice';
import type { CompiledCampaign } from './compiled-campaign';
import { isControl } from './control-group';
import { sendableAt } from './quiet-hours';
import { renderMessage } from './render-message';
import { isSuitable } from './suitability';

export interface MessagePlanInput {
  campaign: CompiledCampaign;
  customerId: string;
  /** What campaign keeps of the customer; absent: nothing announced yet (no consent known: PIPL). */
  facts?: CampaignFacts;
  /** The decision's instant (the clock's, not the trigger's: a replayed trigger is decided now). */
  now: string;
  /** An open COMPLAINT, DISPUTE or CARD_LOSS ticket (crm.ticket.v1). */
  openServiceCase: boolean;
  /** Channels the customer opted out of since their consents were announced. */
  optedOut: readonly MarketingChannel[];
  history?: Partial<Record<MarketingChannel, ChannelHistory>>;
}

/** A message that passed every check decided here; caps, budget and the arms are Redis's to settle, atomically. */
export interface MessageCandidate {
  channel: MarketingChannel;
  templateId: string;
  variantId: string;
  content: string;
  costMinor: number;
  /** Set when the channel is quiet now (QUIET_HOURS): the instant the window ends, where the decision is taken again. */
  postponeUntil?: string;
  control: boolean;
  /** Messages per customer per campaign window (the campaign's own cap, else the bank's). */
  campaignCap: { messages: number; days: number };
}

export type MessagePlan =
  /** The campaign does not decide now (not ACTIVE, before its start, after its end): nothing is recorded. */
  | { kind: 'IDLE' }
  | { kind: 'SUPPRESSED'; reason: SuppressionReason }
  | { kind: 'CANDIDATE'; candidate: MessageCandidate };

/**
 * DOMAIN.md's eligibility, in its order, as far as it needs no shared counter: the campaign
 * active and in its dates; the audience rule; suitability (a regulatory rule, before
 * consent); consent and opt-out (the channel choice); no open service case. What passes is a
 * candidate carrying what the rest of the order needs — the campaign cap, whether the channel
 * is quiet now and until when, the cost, whether the customer is in the control arm — for the
 * ledger to check the caps, postpone, spend the budget and hold out, in that order, at once.
 */
export function planMessage(input: MessagePlanInput, rules: CampaignRules): MessagePlan {
  const { stored } = input.campaign;
  const d = stored.definition;
  const now = Date.parse(input.now);
  if (!isDeciding(stored.status) || now < Date.parse(d.startAt) || (d.endAt !== undefined && now >= Date.parse(d.endAt))) return { kind: 'IDLE' };
  const facts = input.facts;
  if (d.audience && !(facts && input.campaign.inAudience(facts))) return { kind: 'SUPPRESSED', reason: 'NOT_IN_AUDIENCE' };
  if (!isSuitable(d.offer?.riskLevel, facts?.riskTolerance)) return { kind: 'SUPPRESSED', reason: 'UNSUITABLE' };
  // No profile announced: no consent is known (PIPL).
  if (!facts) return { kind: 'SUPPRESSED', reason: 'NO_CONSENT' };
  // `phone` is a call by the customer's RM (an RM task): no RM, no call.
  const reachable = facts.rmId ? undefined : d.channels.filter((c) => c !== 'phone');
  const choice = chooseChannel({ priority: d.channels, consents: facts.consents, optedOut: input.optedOut, history: input.history, ...(reachable && { reachable }) }, rules.channelHistoryMinDeliveries);
  if (choice.channel === undefined) return { kind: 'SUPPRESSED', reason: choice.suppressed };
  if (input.openServiceCase) return { kind: 'SUPPRESSED', reason: 'OPEN_SERVICE_CASE' };
  const copy = input.campaign.copyFor(choice.channel, facts);
  const timeZone = rules.defaultTimeZone;
  const at = sendableAt(input.now, choice.channel, timeZone, rules);
  return {
    kind: 'CANDIDATE',
    candidate: {
      channel: choice.channel,
      templateId: copy.template.templateId,
      variantId: copy.variantId,
      content: renderMessage(copy.body, copy.template.locale, d, facts, timeZone),
      costMinor: d.unitCostMinor[choice.channel] ?? 0,
      ...(at !== input.now && { postponeUntil: at }),
      control: isControl(stored.campaignId, input.customerId, d.controlShare ?? rules.controlShare),
      campaignCap: d.cap ?? rules.campaignCap,
    },
  };
}

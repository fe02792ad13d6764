import { Consents, MARKETING_CHANNELS, MarketingChannel } from '@meridian/events';

export interface SurveyChannelInput {
  /** The customer's consents as the profile holds them (CONTRACTS.md: absent = no consent). */
  consents?: Consents;
  /** Channels the customer opted out of since (CAMPAIGN_OPTED_OUT interactions the profile has not folded yet). */
  optedOut?: readonly MarketingChannel[];
  /** The customer's own preferred channel, tried first. */
  preferred?: MarketingChannel;
  /** DOMAIN.md: once per ticket. */
  alreadyRequested: boolean;
}

export type SurveyChannelDecision =
  | { send: true; channel: MarketingChannel }
  | {
      send: false;
      /** ALREADY_REQUESTED: this ticket had its survey; OPTED_OUT: every channel was refused explicitly; NO_CONSENT: some were never consented to. */
      reason: 'ALREADY_REQUESTED' | 'OPTED_OUT' | 'NO_CONSENT';
    };

/**
 * The channel a ticket's satisfaction survey goes on (DOMAIN.md service desk): the
 * customer's preferred consented channel, else the first consented one of the bank's order.
 * A survey is a service message: exempt from marketing caps (nothing here counts them) but
 * never from a channel opt-out — a channel is usable only when its consent is true and it
 * has not been opted out of since; an absent consent is no consent (PIPL).
 */
export function surveyChannel(input: SurveyChannelInput, order: readonly MarketingChannel[]): SurveyChannelDecision {
  if (input.alreadyRequested) return { send: false, reason: 'ALREADY_REQUESTED' };
  const marketing = input.consents?.marketing ?? {};
  const optedOut = new Set(input.optedOut ?? []);
  const candidates = [...(input.preferred ? [input.preferred] : []), ...order].filter((c, i, all) => all.indexOf(c) === i && MARKETING_CHANNELS.includes(c));
  const usable = candidates.find((c) => marketing[c] === true && !optedOut.has(c));
  if (usable) return { send: true, channel: usable };
  const refusedExplicitly = candidates.every((c) => marketing[c] === false || optedOut.has(c));
  return { send: false, reason: refusedExplicitly ? 'OPTED_OUT' : 'NO_CONSENT' };
}

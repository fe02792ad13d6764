import type { Consents, MarketingChannel } from '@meridian/events';

/** Deliveries and conversions of a channel for the customer's tier or segment (the stats' counters). */
export interface ChannelHistory {
  deliveries: number;
  conversions: number;
}

export interface ChannelChoiceInput {
  /** The campaign's channels, most preferred first. */
  priority: readonly MarketingChannel[];
  /** The customer's consents as profile announced them (absent: no consent, PIPL). */
  consents?: Consents;
  /** Channels the customer opted out of since (CAMPAIGN_OPTED_OUT): marketing stops there. */
  optedOut?: readonly MarketingChannel[];
  /** Channels the customer can be reached on (an app installed, a WeChat binding…); absent: all. */
  reachable?: readonly MarketingChannel[];
  /** History per channel for the customer's tier or segment. */
  history?: Partial<Record<MarketingChannel, ChannelHistory>>;
}

export type ChannelChoice =
  | { channel: MarketingChannel; by: 'PRIORITY' | 'BEST_CONVERSION' }
  /** NO_CONSENT: some channel was never consented to; OPTED_OUT: every one was refused or opted out of. */
  | { channel?: undefined; suppressed: 'NO_CONSENT' | 'OPTED_OUT' };

/**
 * Issue 12, point 3: the first channel of the campaign's list that the customer consented to,
 * has not opted out of and can be reached on; where every usable channel has at least
 * `minDeliveries` of history, the one that converts best among them (ties: the list's order).
 * A channel without enough history never wins on conversion, and never loses on it either.
 */
export function chooseChannel(input: ChannelChoiceInput, minDeliveries: number): ChannelChoice {
  const marketing = input.consents?.marketing ?? {};
  const optedOut = new Set(input.optedOut ?? []);
  const reachable = input.reachable ? new Set(input.reachable) : undefined;
  const usable = input.priority.filter((c) => marketing[c] === true && !optedOut.has(c) && (!reachable || reachable.has(c)));
  if (!usable.length) {
    const refused = input.priority.every((c) => marketing[c] === false || optedOut.has(c));
    return { suppressed: refused ? 'OPTED_OUT' : 'NO_CONSENT' };
  }
  const rate = (c: MarketingChannel) => {
    const h = input.history?.[c];
    return h && h.deliveries >= minDeliveries ? h.conversions / h.deliveries : undefined;
  };
  const rates = usable.map(rate);
  if (usable.length > 1 && rates.every((r) => r !== undefined)) {
    const best = rates.reduce((b, r, i) => ((r as number) > (rates[b] as number) ? i : b), 0);
    if (best !== 0) return { channel: usable[best], by: 'BEST_CONVERSION' };
  }
  return { channel: usable[0], by: 'PRIORITY' };
}

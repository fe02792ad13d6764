import type { MarketingChannel } from '@meridian/events';

/** A channel a customer opted out of (a CAMPAIGN_OPTED_OUT interaction), and when. */
export interface OptOutFact {
  customerId: string;
  channel: MarketingChannel;
  at: string;
}

/**
 * The channels each customer opted out of since their consents were recorded (`customer_opt_outs`,
 * by `_id`): a survey is a service message, exempt from marketing caps but never from an opt-out
 * (DOMAIN.md), and the profile's consents do not fold opt-outs.
 */
export abstract class CustomerOptOuts {
  abstract get(customerIds: readonly string[]): Promise<Map<string, MarketingChannel[]>>;
  abstract record(facts: readonly OptOutFact[]): Promise<void>;
}

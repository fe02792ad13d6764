import type { MarketingChannel } from '@meridian/events';
import type { ChannelHistory } from '../../domain/channel-choice';

/** Deliveries and conversions per tier and channel, across campaigns: what the channel choice learns from. */
export abstract class ChannelHistories {
  abstract byTier(): Promise<Map<string, Partial<Record<MarketingChannel, ChannelHistory>>>>;
}

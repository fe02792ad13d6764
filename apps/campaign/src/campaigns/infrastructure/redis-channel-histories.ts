import { Inject, Injectable } from '@nestjs/common';
import type { MarketingChannel } from '@meridian/events';
import { REDIS } from '@meridian/shared';
import type Redis from 'ioredis';
import { CampaignConfig } from '../../config/campaign.config';
import { campaignKeys } from '../../redis-keys';
import { ChannelHistories } from '../application/ports/channel-histories.port';
import type { ChannelHistory } from '../domain/channel-choice';

/** The channel history as one Redis hash (`<prefix>cmp:history`, `<tier>:delivered|converted:<channel>`), moved by the responses' and conversions' scripts; one read a batch. */
@Injectable()
export class RedisChannelHistories implements ChannelHistories {
  private readonly key: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: CampaignConfig,
  ) {
    this.key = campaignKeys(config.redisPrefix).channelHistory();
  }

  async byTier(): Promise<Map<string, Partial<Record<MarketingChannel, ChannelHistory>>>> {
    const out = new Map<string, Partial<Record<MarketingChannel, ChannelHistory>>>();
    for (const [field, n] of Object.entries(await this.redis.hgetall(this.key))) {
      const [tier, what, channel] = field.split(':') as [string, string, MarketingChannel];
      if (what !== 'delivered' && what !== 'converted') continue;
      const byChannel = out.get(tier) ?? {};
      const h = (byChannel[channel] ??= { deliveries: 0, conversions: 0 });
      if (what === 'delivered') h.deliveries = Number(n);
      else h.conversions = Number(n);
      out.set(tier, byChannel);
    }
    return out;
  }
}

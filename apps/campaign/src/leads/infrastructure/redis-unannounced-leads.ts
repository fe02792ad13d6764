import { Inject, Injectable } from '@nestjs/common';
import { REDIS } from '@meridian/shared';
import type Redis from 'ioredis';
import { CampaignConfig } from '../../config/campaign.config';
import { CampaignKeys, campaignKeys } from '../../redis-keys';
import { UnannouncedLeads } from '../application/ports/unannounced-leads.port';

/** Unannounced leads in one Redis sorted set (`<prefix>cmp:leads:unannounced`, score = when last marked, ms). */
@Injectable()
export class RedisUnannouncedLeads implements UnannouncedLeads {
  private readonly keys: CampaignKeys;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: CampaignConfig,
  ) {
    this.keys = campaignKeys(config.redisPrefix);
  }

  async mark(customerId: string, at: Date): Promise<void> {
    await this.redis.zadd(this.keys.leadsUnannounced(), at.getTime(), customerId);
  }

  async unmark(customerId: string): Promise<void> {
    await this.redis.zrem(this.keys.leadsUnannounced(), customerId);
  }

  markedBefore(before: Date, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.keys.leadsUnannounced(), '-inf', before.getTime(), 'LIMIT', 0, limit);
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { REDIS, answersOf } from '@meridian/shared';
import type Redis from 'ioredis';
import { CampaignConfig } from '../../config/campaign.config';
import { CampaignKeys, campaignKeys } from '../../redis-keys';
import { PointsMarks } from '../application/ports/points-marks.port';

/** The points accounts' marks in Redis: a hash of the last entry announced, and two sorted sets (unannounced by mark time, due by first lapse). */
@Injectable()
export class RedisPointsMarks implements PointsMarks {
  private readonly keys: CampaignKeys;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: CampaignConfig,
  ) {
    this.keys = campaignKeys(config.redisPrefix);
  }

  async announced(customerId: string): Promise<number> {
    return Number((await this.redis.hget(this.keys.pointsAnnounced(), customerId)) ?? 0);
  }

  async beforeWrite(customerId: string, at: Date, dueAt?: string): Promise<void> {
    const batch = this.redis.multi().zadd(this.keys.pointsUnannounced(), at.getTime(), customerId);
    // LT: never later than the account is due now — the write may not land, and the old lots still lapse.
    if (dueAt) batch.zadd(this.keys.pointsDue(), 'LT', Date.parse(dueAt), customerId);
    answersOf(await batch.exec());
  }

  async afterAnnounce(customerId: string, seq: number, dueAt?: string): Promise<void> {
    const batch = this.redis.multi().hset(this.keys.pointsAnnounced(), customerId, seq).zrem(this.keys.pointsUnannounced(), customerId);
    if (dueAt) batch.zadd(this.keys.pointsDue(), Date.parse(dueAt), customerId);
    else batch.zrem(this.keys.pointsDue(), customerId);
    answersOf(await batch.exec());
  }

  async forget(customerId: string): Promise<void> {
    answersOf(await this.redis.multi().hdel(this.keys.pointsAnnounced(), customerId).zrem(this.keys.pointsUnannounced(), customerId).zrem(this.keys.pointsDue(), customerId).exec());
  }

  async dueBy(asOf: Date, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.keys.pointsDue(), '-inf', asOf.getTime(), 'LIMIT', 0, limit);
  }

  async unannouncedSince(before: Date, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.keys.pointsUnannounced(), '-inf', before.getTime(), 'LIMIT', 0, limit);
  }
}

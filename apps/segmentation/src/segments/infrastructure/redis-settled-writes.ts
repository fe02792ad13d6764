import { Inject, Injectable } from '@nestjs/common';
import { REDIS } from '@meridian/shared';
import type Redis from 'ioredis';
import { SegmentationConfig } from '../../config/segmentation.config';
import { SettledWrites } from '../application/ports/settled-writes.port';

/**
 * Settled revs in one Redis hash (`<prefix>seg:settled`, field = customerId). Should Redis
 * lose it, every outbox counts as pending again: sent again with the same eventIds, and the
 * effects skipped by their own markers — duplicates a consumer drops, never a loss.
 */
@Injectable()
export class RedisSettledWrites implements SettledWrites {
  private readonly key: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: SegmentationConfig,
  ) {
    this.key = `${config.redisPrefix}seg:settled`;
  }

  async settledRevs(customerIds: readonly string[]): Promise<Map<string, number>> {
    if (!customerIds.length) return new Map();
    const values = await this.redis.hmget(this.key, ...customerIds);
    return new Map(customerIds.flatMap((id, i) => (values[i] === null ? [] : [[id, Number(values[i])] as [string, number]])));
  }

  async markSettled(writes: ReadonlyArray<{ customerId: string; rev: number }>): Promise<void> {
    if (!writes.length) return;
    await this.redis.hset(this.key, Object.fromEntries(writes.map((w) => [w.customerId, String(w.rev)])));
  }
}

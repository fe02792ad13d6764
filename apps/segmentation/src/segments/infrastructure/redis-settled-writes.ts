import { Inject, Injectable } from '@nestjs/common';
import { REDIS } from '@meridian/shared';
import type Redis from 'ioredis';
import { SegmentationConfig } from '../../config/segmentation.config';
import { SettledWrites } from '../application/ports/settled-writes.port';

/** Raises each customer's settled rev, never lowers it (a slower run may settle after a newer one). ARGV: customer, rev pairs. */
const RAISE = `
for i = 1, #ARGV, 2 do
  if tonumber(redis.call('HGET', KEYS[1], ARGV[i]) or '0') < tonumber(ARGV[i + 1]) then redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
end
return 1`;

/**
 * Settled revs in one Redis hash (`<prefix>seg:settled`, field = customerId). Should Redis
 * lose it, every outbox counts as pending again: sent again with the same eventIds (duplicates
 * a consumer drops), and the effects skipped by the applied revs (redis-segment-analytics.ts)
 * — unless Redis lost those too, and then the counters are rebuilt from the states anyway.
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
    await this.redis.eval(RAISE, 1, this.key, ...writes.flatMap((w) => [w.customerId, String(w.rev)]));
  }
}

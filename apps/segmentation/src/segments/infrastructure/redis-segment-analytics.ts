import { Inject, Injectable } from '@nestjs/common';
import { REDIS } from '@meridian/shared';
import type Redis from 'ioredis';
import { SegmentationConfig } from '../../config/segmentation.config';
import { SegmentAnalytics } from '../application/ports/segment-analytics.port';
import { SegmentEffects } from '../domain/segment-effects';

/**
 * One write's effects, atomically and once: the marker `KEYS[1]` (the write's key, kept a
 * week: far longer than any redelivery) is set first; if it was there, nothing happens.
 * KEYS[2] is the counters hash; ARGV: marker TTL, n counters, then field/increment pairs,
 * then n joined, segment/customer pairs… then the left ones; member sets are
 * `ARGV[last] .. segmentId`.
 */
const APPLY_ONCE = `
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then return 0 end
local i = 2
local n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do redis.call('HINCRBY', KEYS[2], ARGV[i], ARGV[i + 1]); i = i + 2 end
local prefix = ARGV[#ARGV]
local customer = ARGV[#ARGV - 1]
n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do redis.call('ZADD', prefix .. ARGV[i], 0, customer); i = i + 1 end
n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do redis.call('ZREM', prefix .. ARGV[i], customer); i = i + 1 end
return 1`;

const WEEK_SECONDS = 7 * 86_400;

@Injectable()
export class RedisSegmentAnalytics implements SegmentAnalytics {
  private readonly prefix: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: SegmentationConfig,
  ) {
    this.prefix = `${config.redisPrefix}seg:`;
  }

  private membersKey(segmentId: string): string {
    return `${this.prefix}members:${segmentId}`;
  }

  async apply(effects: readonly SegmentEffects[]): Promise<void> {
    if (!effects.length) return;
    const pipeline = this.redis.pipeline();
    for (const e of effects) {
      const customerId = e.key.slice(0, e.key.lastIndexOf(':'));
      const counters = Object.entries(e.counters).flatMap(([k, v]) => [k, String(v)]);
      pipeline.eval(APPLY_ONCE, 2, `${this.prefix}applied:${e.key}`, `${this.prefix}counters`, WEEK_SECONDS, counters.length / 2, ...counters, e.joined.length, ...e.joined, e.left.length, ...e.left, customerId, `${this.prefix}members:`);
    }
    for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error;
  }

  async counters(): Promise<Record<string, number>> {
    const raw = await this.redis.hgetall(`${this.prefix}counters`);
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)]));
  }

  members(segmentId: string, after: string | undefined, limit: number): Promise<string[]> {
    return this.redis.zrangebylex(this.membersKey(segmentId), after ? `(${after}` : '-', '+', 'LIMIT', 0, limit);
  }

  size(segmentId: string): Promise<number> {
    return this.redis.zcard(this.membersKey(segmentId));
  }
}

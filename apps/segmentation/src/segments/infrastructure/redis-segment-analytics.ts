import { Inject, Injectable } from '@nestjs/common';
import { REDIS } from '@meridian/shared';
import type Redis from 'ioredis';
import { SegmentationConfig } from '../../config/segmentation.config';
import { DerivedDataMissing } from '../application/ports/derived-data.port';
import { SegmentAnalytics } from '../application/ports/segment-analytics.port';
import { SegmentEffects } from '../domain/segment-effects';
import { LiveDerivedKeys, REFUSE_UNLESS_BUILT, isDerivedDataMissing } from './derived-keys';

/**
 * One write's effects, atomically and once: KEYS[1] holds, per customer, the newest write
 * rev whose effects are applied; an effect of that rev or an older one is skipped (a repeat
 * after a crash, or a slower run settling late), else applied and the rev recorded last.
 * KEYS[2] is the counters hash, KEYS[3] the marker: without it (Redis lost the data) nothing
 * is applied until the rebuild (the effects stay pending in the documents). ARGV: customer,
 * rev, n counters, then field/increment pairs, then n joined segment ids, then n left ones,
 * then the member sets' key prefix.
 */
const APPLY_ONCE = `
${REFUSE_UNLESS_BUILT('KEYS[3]')}
local customer = ARGV[1]
local rev = tonumber(ARGV[2])
if tonumber(redis.call('HGET', KEYS[1], customer) or '0') >= rev then return 0 end
local i = 3
local n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do redis.call('HINCRBY', KEYS[2], ARGV[i], ARGV[i + 1]); i = i + 2 end
local prefix = ARGV[#ARGV]
n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do redis.call('ZADD', prefix .. ARGV[i], 0, customer); i = i + 1 end
n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do redis.call('ZREM', prefix .. ARGV[i], customer); i = i + 1 end
redis.call('HSET', KEYS[1], customer, rev)
return 1`;

const revOf = (key: string) => Number(key.slice(key.lastIndexOf(':') + 1));

@Injectable()
export class RedisSegmentAnalytics implements SegmentAnalytics {
  private readonly keys: LiveDerivedKeys;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: SegmentationConfig,
  ) {
    this.keys = new LiveDerivedKeys(config.redisPrefix);
  }

  async apply(effects: readonly SegmentEffects[]): Promise<void> {
    if (!effects.length) return;
    const pipeline = this.redis.pipeline();
    // Oldest first: a customer's pending effects go in the order they were decided.
    for (const e of [...effects].sort((a, b) => revOf(a.key) - revOf(b.key))) {
      const customerId = e.key.slice(0, e.key.lastIndexOf(':'));
      const counters = Object.entries(e.counters).flatMap(([k, v]) => [k, String(v)]);
      pipeline.eval(APPLY_ONCE, 3, this.keys.applied, this.keys.counters, this.keys.marker, customerId, revOf(e.key), counters.length / 2, ...counters, e.joined.length, ...e.joined, e.left.length, ...e.left, this.keys.membersPrefix);
    }
    for (const [error] of (await pipeline.exec()) ?? []) if (error) throw isDerivedDataMissing(error) ? new DerivedDataMissing() : error;
  }

  async counters(): Promise<Record<string, number>> {
    const raw = await this.redis.hgetall(this.keys.counters);
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)]));
  }

  members(segmentId: string, after: string | undefined, limit: number): Promise<string[]> {
    return this.redis.zrangebylex(this.keys.members(segmentId), after ? `(${after}` : '-', '+', 'LIMIT', 0, limit);
  }

  size(segmentId: string): Promise<number> {
    return this.redis.zcard(this.keys.members(segmentId));
  }
}

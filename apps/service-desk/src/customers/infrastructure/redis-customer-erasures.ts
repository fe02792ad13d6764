import { Inject, Injectable } from '@nestjs/common';
import { REDIS, answersOf } from '@meridian/shared';
import type Redis from 'ioredis';
import { ServiceDeskConfig } from '../../config/service-desk.config';
import { CustomerErasures } from '../application/ports/customer-erasures.port';

/**
 * Marks customers erased and pending, each at the next number of one sequence, so a later mark
 * always scores higher, whatever the instances' clocks. KEYS: the erased set, the pending set,
 * the sequence. ARGV: customer ids.
 */
const MARK = `
for _, id in ipairs(ARGV) do
  redis.call('SADD', KEYS[1], id)
  redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[3]), id)
end
return 1`;

/** Removes the customer from the pending set if it is still at the mark a pass read (not marked again since). KEYS: the pending set. ARGV: customer id, the mark. */
const CLEARED = `
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) == tonumber(ARGV[2]) then redis.call('ZREM', KEYS[1], ARGV[1]) end
return 1`;

/** The erased customers' set: this adapter marks it, and the interactions' Lua script checks it before it keeps one. */
export const erasedSetKey = (redisPrefix: string) => `${redisPrefix}sd:erased`;

/**
 * The erased customers as a Redis set (`<prefix>sd:erased`, never emptied: what arrives for them
 * later keeps nothing), and those whose tickets are still to clear as a sorted set
 * (`<prefix>sd:erasing`, scored by a sequence: the last mark of each, oldest first).
 */
@Injectable()
export class RedisCustomerErasures implements CustomerErasures {
  private readonly erasedKey: string;
  private readonly pendingKey: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: ServiceDeskConfig,
  ) {
    this.erasedKey = erasedSetKey(config.redisPrefix);
    this.pendingKey = `${config.redisPrefix}sd:erasing`;
  }

  async mark(customerIds: readonly string[]): Promise<void> {
    if (!customerIds.length) return;
    await this.redis.eval(MARK, 3, this.erasedKey, this.pendingKey, `${this.pendingKey}-seq`, ...customerIds);
  }

  async erased(customerIds: readonly string[]): Promise<Set<string>> {
    if (!customerIds.length) return new Set();
    // SISMEMBER a customer at a time (SMISMEMBER needs Redis 6.2; the infra asks for 6).
    const pipeline = this.redis.pipeline();
    for (const id of customerIds) pipeline.sismember(this.erasedKey, id);
    const flags = answersOf(await pipeline.exec());
    return new Set(customerIds.filter((_, i) => flags[i] === 1));
  }

  async pending(limit: number): Promise<Array<{ customerId: string; markedAt: number }>> {
    const flat = await this.redis.zrange(this.pendingKey, 0, limit - 1, 'WITHSCORES');
    const pending: Array<{ customerId: string; markedAt: number }> = [];
    for (let i = 0; i < flat.length; i += 2) pending.push({ customerId: flat[i], markedAt: Number(flat[i + 1]) });
    return pending;
  }

  async cleared(customers: readonly { customerId: string; markedAt: number }[]): Promise<void> {
    await Promise.all(customers.map((c) => this.redis.eval(CLEARED, 1, this.pendingKey, c.customerId, c.markedAt)));
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { REDIS, hashPartition } from '@meridian/shared';
import type Redis from 'ioredis';
import { ProfileConfig } from '../../config/profile.config';
import { DueEntry, ProfileDueIndex } from '../application/ports/profile-due-index.port';

/**
 * Sets a customer's due instant unless the index holds one of a newer profile version (the
 * fold and the roll may write the same customer from two instances, and their index writes
 * may land in either order); a removal keeps the version, so a late older write does not
 * put a merged or erased profile back. KEYS: the partition's sorted set and its version hash;
 * ARGV: customerId, version ('' = forget outright), due ms ('' = remove).
 */
const SCHEDULE_IF_NEWER = `
if ARGV[2] == '' then
  redis.call('ZREM', KEYS[1], ARGV[1])
  redis.call('HDEL', KEYS[2], ARGV[1])
  return 1
end
local held = redis.call('HGET', KEYS[2], ARGV[1])
if held and tonumber(held) > tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
if ARGV[3] == '' then redis.call('ZREM', KEYS[1], ARGV[1]) else redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1]) end
return 1`;

type DueRedis = Redis & { profileDueIfNewer(zset: string, versions: string, customerId: string, version: string, dueMs: string): Promise<number> };

/**
 * The due index in Redis: per partition a sorted set (`<prefix>profile:due:<p>`, score = the
 * due instant in ms) and the profile version each entry was computed from
 * (`<prefix>profile:due-version:<p>`).
 */
@Injectable()
export class RedisProfileDueIndex implements ProfileDueIndex {
  readonly partitions: number;
  private readonly prefix: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: ProfileConfig,
  ) {
    this.partitions = config.PROFILE_ROLL_PARTITIONS;
    this.prefix = `${config.redisPrefix}profile:`;
    if (!('profileDueIfNewer' in redis)) redis.defineCommand('profileDueIfNewer', { numberOfKeys: 2, lua: SCHEDULE_IF_NEWER });
  }

  private keys(customerId: string): [string, string] {
    const p = hashPartition(customerId, this.partitions);
    return [`${this.prefix}due:${p}`, `${this.prefix}due-version:${p}`];
  }

  async schedule(entries: readonly DueEntry[]): Promise<void> {
    if (!entries.length) return;
    const pipeline = this.redis.pipeline() as unknown as DueRedis & { exec(): Promise<Array<[Error | null, unknown]> | null> };
    for (const { customerId, version, dueAt } of entries) {
      pipeline.profileDueIfNewer(...this.keys(customerId), customerId, version === undefined ? '' : String(version), dueAt ? String(Date.parse(dueAt)) : '');
    }
    for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error;
  }

  due(partition: number, asOf: string, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(`${this.prefix}due:${partition}`, '-inf', Date.parse(asOf), 'LIMIT', 0, limit);
  }
}

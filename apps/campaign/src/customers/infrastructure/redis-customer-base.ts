import { Inject, Injectable } from '@nestjs/common';
import { customerPartition } from '@meridian/events';
import { REDIS, answersOf } from '@meridian/shared';
import type Redis from 'ioredis';
import { CampaignConfig } from '../../config/campaign.config';
import { CampaignKeys, campaignKeys } from '../../redis-keys';
import { BaseChange, CustomerBase } from '../application/ports/customer-base.port';

type Recording = Redis & { campaignBaseRecord(...args: string[]): Promise<number> };

/**
 * KEYS: the customer's partition set, the erased set, the versions applied. ARGV: customer id,
 * status, profile version. An announcement older than the one applied changes nothing; an erased
 * customer never comes back.
 */
const RECORD = `
local applied = tonumber(redis.call('HGET', KEYS[3], ARGV[1]) or '-1')
if tonumber(ARGV[3]) < applied then return 0 end
redis.call('HSET', KEYS[3], ARGV[1], ARGV[3])
if ARGV[2] == 'ERASED' then
  redis.call('SADD', KEYS[2], ARGV[1])
  return redis.call('SREM', KEYS[1], ARGV[1])
end
if ARGV[2] ~= 'ACTIVE' then return redis.call('SREM', KEYS[1], ARGV[1]) end
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then return 0 end
return redis.call('SADD', KEYS[1], ARGV[1])`;

/** The base as `CAMPAIGN_BATCH_PARTITIONS` Redis sets (`<prefix>cmp:base:<partitions>:<n>`), by FNV-1a of the customer id: another partition count is another base, built afresh. */
@Injectable()
export class RedisCustomerBase implements CustomerBase {
  readonly partitions: number;
  private readonly keys: CampaignKeys;
  private readonly redis: Recording;

  constructor(@Inject(REDIS) redis: Redis, config: CampaignConfig) {
    redis.defineCommand('campaignBaseRecord', { numberOfKeys: 3, lua: RECORD });
    this.redis = redis as Recording;
    this.keys = campaignKeys(config.redisPrefix);
    this.partitions = config.CAMPAIGN_BATCH_PARTITIONS;
  }

  async record(changes: readonly BaseChange[]): Promise<void> {
    if (!changes.length) return;
    const pipeline = this.redis.pipeline() as unknown as { campaignBaseRecord(...args: string[]): void; exec(): Promise<[Error | null, unknown][] | null> };
    for (const c of changes) pipeline.campaignBaseRecord(this.keys.base(this.partitions, customerPartition(c.customerId, this.partitions)), this.keys.baseGone(), this.keys.baseVersions(), c.customerId, c.status, String(c.version));
    answersOf(await pipeline.exec());
  }

  async scan(partition: number, cursor: string, count: number): Promise<{ ids: string[]; cursor: string }> {
    const [next, ids] = await this.redis.sscan(this.keys.base(this.partitions, partition), cursor, 'COUNT', count);
    return { ids, cursor: next };
  }

  async isBuilt(): Promise<boolean> {
    return (await this.redis.exists(this.keys.baseBuilt(this.partitions))) === 1;
  }

  async markBuilt(): Promise<void> {
    await this.redis.set(this.keys.baseBuilt(this.partitions), '1');
  }
}

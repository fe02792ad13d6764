import { Inject, Injectable } from '@nestjs/common';
import { customerPartition } from '@meridian/events';
import { REDIS, answersOf } from '@meridian/shared';
import type Redis from 'ioredis';
import { CampaignConfig } from '../../config/campaign.config';
import { CampaignKeys, campaignKeys } from '../../redis-keys';
import { BaseChange, CustomerBase } from '../application/ports/customer-base.port';

type Recording = Redis & { campaignBaseRecord(...args: string[]): Promise<number> };

/** KEYS: the customer's partition set, the erased set. ARGV: customer id, status. An erased customer never comes back. */
const RECORD = `
if ARGV[2] == 'ERASED' then
  redis.call('SADD', KEYS[2], ARGV[1])
  return redis.call('SREM', KEYS[1], ARGV[1])
end
if ARGV[2] ~= 'ACTIVE' then return redis.call('SREM', KEYS[1], ARGV[1]) end
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then return 0 end
return redis.call('SADD', KEYS[1], ARGV[1])`;

/** The base as `CAMPAIGN_BATCH_PARTITIONS` Redis sets (`<prefix>cmp:base:<n>`), by FNV-1a of the customer id. */
@Injectable()
export class RedisCustomerBase implements CustomerBase {
  readonly partitions: number;
  private readonly keys: CampaignKeys;
  private readonly redis: Recording;

  constructor(@Inject(REDIS) redis: Redis, config: CampaignConfig) {
    redis.defineCommand('campaignBaseRecord', { numberOfKeys: 2, lua: RECORD });
    this.redis = redis as Recording;
    this.keys = campaignKeys(config.redisPrefix);
    this.partitions = config.CAMPAIGN_BATCH_PARTITIONS;
  }

  async record(changes: readonly BaseChange[]): Promise<void> {
    if (!changes.length) return;
    const pipeline = this.redis.pipeline() as unknown as { campaignBaseRecord(...args: string[]): void; exec(): Promise<[Error | null, unknown][] | null> };
    for (const c of changes) pipeline.campaignBaseRecord(this.keys.base(customerPartition(c.customerId, this.partitions)), this.keys.baseGone(), c.customerId, c.status);
    answersOf(await pipeline.exec());
  }

  async scan(partition: number, cursor: string, count: number): Promise<{ ids: string[]; cursor: string }> {
    const [next, ids] = await this.redis.sscan(this.keys.base(partition), cursor, 'COUNT', count);
    return { ids, cursor: next };
  }

  async isBuilt(): Promise<boolean> {
    return (await this.redis.exists(this.keys.baseBuilt())) === 1;
  }

  async markBuilt(): Promise<void> {
    await this.redis.set(this.keys.baseBuilt(), '1');
  }
}

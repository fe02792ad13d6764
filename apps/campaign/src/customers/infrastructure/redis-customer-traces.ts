import { Inject, Injectable } from '@nestjs/common';
import { REDIS, answersOf } from '@meridian/shared';
import type Redis from 'ioredis';
import { CampaignConfig } from '../../config/campaign.config';
import { CampaignKeys, campaignKeys } from '../../redis-keys';
import { CustomerTraces } from '../application/ports/customer-traces.port';

/**
 * One customer's traces deleted: the sends of each campaign the arms name (every campaign send
 * or hold sets the campaign's arm, and the arms outlive those sends), then the arms, the sends
 * across campaigns, the cases, the opt-outs and the intent signals leads are scored on. KEYS:
 * arms, sends, cases, opt-outs, intent. ARGV: the campaign sends' key without its campaign id.
 */
const FORGET = `
for _, campaignId in ipairs(redis.call('HKEYS', KEYS[1])) do redis.call('DEL', ARGV[1] .. campaignId) end
return redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5])`;

type Forgetting = { campaignForget(...args: string[]): void; exec(): Promise<[Error | null, unknown][] | null> };

/** An erased customer's traces in Redis, deleted in one script each, a batch in one pipeline (a single Redis, as the ledger's: the keys are derived in the script). */
@Injectable()
export class RedisCustomerTraces extends CustomerTraces {
  private readonly keys: CampaignKeys;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: CampaignConfig,
  ) {
    super();
    redis.defineCommand('campaignForget', { numberOfKeys: 5, lua: FORGET });
    this.keys = campaignKeys(config.redisPrefix);
  }

  async forget(customerIds: readonly string[]): Promise<void> {
    const ids = [...new Set(customerIds)];
    if (!ids.length) return;
    const pipeline = this.redis.pipeline() as unknown as Forgetting;
    const k = this.keys;
    for (const id of ids) pipeline.campaignForget(k.arms(id), k.sends(id), k.cases(id), k.optOuts(id), k.intent(id), k.campaignSends(id, ''));
    answersOf(await pipeline.exec());
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { REDIS, answersOf } from '@meridian/shared';
import type Redis from 'ioredis';
import { CampaignConfig } from '../../config/campaign.config';
import { MessageResponse, ResponseCounters } from '../application/ports/response-counters.port';
import { CampaignKeys, DAY_MS, MEMORY_DAYS, campaignKeys } from '../../redis-keys';

type Responding = Redis & { campaignRespond(...args: (string | number)[]): Promise<number> };

/**
 * A response counted once, on the campaign, the message's channel and its variant — read from
 * the message's decision; a response to a message never sent (a control customer's, an unknown
 * id) counts nothing; a delivery also counts on the channel history of the customer's tier. KEYS:
 * the decision, the response's mark, the campaign's counters, the channel history. ARGV: kind,
 * mark ttl ms, the mark's detail.
 */
const RESPOND = `
local d = redis.call('GET', KEYS[1])
if not d then return -1 end
local m = cjson.decode(d)
if m.o ~= 'SENT' then return -1 end
if not redis.call('SET', KEYS[2], ARGV[3], 'NX', 'PX', ARGV[2]) then return 0 end
redis.call('HINCRBY', KEYS[3], ARGV[1], 1)
redis.call('HINCRBY', KEYS[3], ARGV[1] .. ':channel:' .. m.channel, 1)
redis.call('HINCRBY', KEYS[3], ARGV[1] .. ':variant:' .. m.templateId .. '/' .. m.variantId, 1)
if ARGV[1] == 'delivered' and m.tier and m.tier ~= '' then redis.call('HINCRBY', KEYS[4], m.tier .. ':delivered:' .. m.channel, 1) end
return 1`;

/** The funnel on the campaign's counters (`<prefix>cmp:stats:<campaignId>`), beside the ledger's. */
@Injectable()
export class RedisResponseCounters implements ResponseCounters {
  private readonly keys: CampaignKeys;
  private readonly redis: Responding;

  constructor(@Inject(REDIS) redis: Redis, config: CampaignConfig) {
    redis.defineCommand('campaignRespond', { numberOfKeys: 4, lua: RESPOND });
    this.redis = redis as Responding;
    this.keys = campaignKeys(config.redisPrefix);
  }

  async record(responses: readonly MessageResponse[]): Promise<void> {
    if (!responses.length) return;
    const pipeline = this.redis.pipeline() as unknown as { campaignRespond(...args: (string | number)[]): void; exec(): Promise<[Error | null, unknown][] | null> };
    for (const r of responses) pipeline.campaignRespond(this.keys.decision(r.campaignId, r.messageId), this.keys.response(r.campaignId, r.messageId, r.kind), this.keys.stats(r.campaignId), this.keys.channelHistory(), r.kind, MEMORY_DAYS * DAY_MS, r.detail ?? '');
    answersOf(await pipeline.exec());
  }

  async markOf(r: MessageResponse): Promise<string | undefined> {
    return (await this.redis.get(this.keys.response(r.campaignId, r.messageId, r.kind))) ?? undefined;
  }
}

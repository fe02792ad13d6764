import { Inject, Injectable } from '@nestjs/common';
import { REDIS, answersOf } from '@meridian/shared';
import type Redis from 'ioredis';
import { CampaignConfig } from '../../config/campaign.config';
import { MessageResponse, ResponseCounters } from '../application/ports/response-counters.port';
import { campaignKeys } from './redis-decision-ledger';

/** How long a response is remembered against a redelivery: as long as the decision it answers. */
const RESPONSE_TTL_MS = 35 * 24 * 3600 * 1000;

/**
 * A response counted once, on the campaign, the message's channel and its variant — read from
 * the message's decision; a response to a message never sent (a control customer's, an unknown
 * id) counts nothing. KEYS: the decision, the response's mark, the campaign's counters. ARGV:
 * kind, mark ttl ms.
 */
const RESPOND = `
local d = redis.call('GET', KEYS[1])
if not d then return -1 end
local m = cjson.decode(d)
if m.o ~= 'SENT' then return -1 end
if not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[2]) then return 0 end
redis.call('HINCRBY', KEYS[3], ARGV[1], 1)
redis.call('HINCRBY', KEYS[3], ARGV[1] .. ':channel:' .. m.channel, 1)
redis.call('HINCRBY', KEYS[3], ARGV[1] .. ':variant:' .. m.templateId .. '/' .. m.variantId, 1)
return 1`;

/** The funnel on the campaign's counters (`<prefix>cmp:stats:<campaignId>`), beside the ledger's. */
@Injectable()
export class RedisResponseCounters implements ResponseCounters {
  private readonly keys: ReturnType<typeof campaignKeys>;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: CampaignConfig,
  ) {
    this.keys = campaignKeys(config.redisPrefix);
  }

  async record(responses: readonly MessageResponse[]): Promise<void> {
    if (!responses.length) return;
    const pipeline = this.redis.pipeline();
    for (const r of responses) pipeline.eval(RESPOND, 3, this.keys.decision(r.campaignId, r.messageId), `${this.keys.decision(r.campaignId, r.messageId)}:${r.kind}`, this.keys.stats(r.campaignId), r.kind, RESPONSE_TTL_MS);
    answersOf(await pipeline.exec());
  }
}

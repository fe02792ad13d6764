import { Inject, Injectable } from '@nestjs/common';
import { REDIS, answersOf } from '@meridian/shared';
import type Redis from 'ioredis';
import { CampaignConfig } from '../../config/campaign.config';
import type { MarketingChannel } from '@meridian/events';
import { CampaignKeys, campaignKeys } from '../../redis-keys';
import { CaseChange, ContactHolds, CustomerContacts, OptOut } from '../application/ports/customer-contacts.port';

/**
 * One ticket's case: a field per ticket, `<open|closed>|<ms>`, and `|o` while it stands as its
 * TicketOpened left it. A TicketOpened creates it (a ticket of another category is no case); a
 * status change moves only a case already known — over the opening always (the desk's clock
 * dates status changes, the source's the opening), over another status change when it is not
 * older; nothing of an erased customer's. KEYS: the customer's cases hash, their facts. ARGV: ticketId, open (1|0), opens (1|0), ms.
 */
const RECORD = `
if redis.call('HGET', KEYS[2], 's') == 'ERASED' then return 0 end
local cur = redis.call('HGET', KEYS[1], ARGV[1])
local state = ARGV[2] == '1' and 'open|' or 'closed|'
if ARGV[3] == '1' then
  if not cur then redis.call('HSET', KEYS[1], ARGV[1], state .. ARGV[4] .. '|o') end
  return 1
end
if not cur then return 1 end
local at, opening = string.match(cur, '^%a+|(%d+)(.*)$')
if opening == '|o' or tonumber(ARGV[4]) >= tonumber(at) then redis.call('HSET', KEYS[1], ARGV[1], state .. ARGV[4]) end
return 1`;

/** A channel's first opt-out kept, unless the customer was erased. KEYS: their opt-outs, their facts. ARGV: channel, ms. */
const OPT_OUT = `
if redis.call('HGET', KEYS[2], 's') == 'ERASED' then return 0 end
return redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2])`;

type Scripted = ReturnType<Redis['pipeline']> & { campaignCase(...a: string[]): void; campaignOptOut(...a: string[]): void };

/**
 * The customers' service cases and opt-outs as Redis hashes (`<prefix>cmp:cases:<customerId>`,
 * a field a ticket; `<prefix>cmp:optouts:<customerId>`, a field a channel, its first opt-out's
 * instant): what every decision reads, both in one pipeline. An erased customer's are kept no more.
 */
@Injectable()
export class RedisCustomerContacts implements CustomerContacts {
  private readonly keys: CampaignKeys;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: CampaignConfig,
  ) {
    redis.defineCommand('campaignCase', { numberOfKeys: 2, lua: RECORD });
    redis.defineCommand('campaignOptOut', { numberOfKeys: 2, lua: OPT_OUT });
    this.keys = campaignKeys(config.redisPrefix);
  }

  async recordCases(changes: readonly CaseChange[]): Promise<void> {
    const pipeline = this.redis.pipeline() as Scripted;
    for (const c of changes) pipeline.campaignCase(this.keys.cases(c.customerId), this.keys.facts(c.customerId), c.ticketId, c.open ? '1' : '0', c.opens ? '1' : '0', String(Date.parse(c.at)));
    await run(pipeline, changes.length);
  }

  async recordOptOuts(optOuts: readonly OptOut[]): Promise<void> {
    const pipeline = this.redis.pipeline() as Scripted;
    for (const o of optOuts) pipeline.campaignOptOut(this.keys.optOuts(o.customerId), this.keys.facts(o.customerId), o.channel, String(Date.parse(o.at)));
    await run(pipeline, optOuts.length);
  }

  async holdsOf(customerIds: readonly string[]): Promise<Map<string, ContactHolds>> {
    const ids = [...new Set(customerIds)];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hvals(this.keys.cases(id)).hkeys(this.keys.optOuts(id));
    const answers = await run(pipeline, ids.length);
    return new Map(ids.map((id, i) => [id, { openServiceCase: (answers[2 * i] as string[]).some((v) => v.startsWith('open|')), optedOut: answers[2 * i + 1] as MarketingChannel[] }]));
  }
}

/** A pipeline's answers, or its first error thrown; nothing is sent for no commands. */
const run = async (pipeline: ReturnType<Redis['pipeline']>, commands: number): Promise<unknown[]> => (commands ? answersOf(await pipeline.exec()) : []);

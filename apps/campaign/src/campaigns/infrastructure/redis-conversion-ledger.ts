import { Inject, Injectable } from '@nestjs/common';
import { REDIS, answersOf } from '@meridian/shared';
import type Redis from 'ioredis';
import { CampaignConfig } from '../../config/campaign.config';
import { CampaignKeys, DAY_MS, MEMORY_DAYS, campaignKeys } from '../../redis-keys';
import { ConversionLedger, ConversionWrite, WriteResult } from '../application/ports/conversion-ledger.port';
import type { ArmTouch } from '../domain/conversion';
import { isoWeekOf } from '../domain/kpi-watch';

/**
 * A message's conversion, once: its mark holds the converting event's id, so the same event again
 * (a redelivery) is told from another. KEYS: the mark, the counters. ARGV: the event's id, arm,
 * channel, variant, value, credited (1|0), ttl ms, the touch's ISO week (the KPI watch counts a
 * week's messages' conversions), the customer's tier then (a treated conversion counts on its
 * channel history; KEYS[3]). Returns 1 (new), 2 (this event again), 0 (converted before).
 */
const CONVERT = `
local was = redis.call('GET', KEYS[1])
if was then return was == ARGV[1] and 2 or 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[7])
redis.call('HINCRBY', KEYS[2], 'converted:' .. ARGV[2], 1)
redis.call('HINCRBY', KEYS[2], 'value:' .. ARGV[2], ARGV[5])
if ARGV[2] == 'TREATMENT' then
  redis.call('HINCRBY', KEYS[2], 'converted:channel:' .. ARGV[3], 1)
  redis.call('HINCRBY', KEYS[2], 'converted:variant:' .. ARGV[4], 1)
  redis.call('HINCRBY', KEYS[2], 'converted:week:' .. ARGV[8], 1)
  if ARGV[9] ~= '' then redis.call('HINCRBY', KEYS[3], ARGV[9] .. ':converted:' .. ARGV[3], 1) end
end
if ARGV[6] == '1' then redis.call('HINCRBY', KEYS[2], 'attributedValueMinor', ARGV[5]) end
return 1`;

/** A product opened by an arm's customer, once an event. KEYS: its mark, the counters. ARGV: arm, ttl ms. */
const PRODUCT = `
if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[2]) then return 0 end
redis.call('HINCRBY', KEYS[2], 'products:' .. ARGV[1], 1)
return 1`;

/**
 * A message's AUM change since its decision, the newest profile version's: the arm's sum moves by
 * the difference with what was counted for that message. KEYS: the campaign's AUM hash (by
 * message), the counters. ARGV: messageId, version, delta, arm, ttl ms.
 */
const AUM = `
local cur = redis.call('HGET', KEYS[1], ARGV[1])
local version, counted = 0, 0
if cur then
  local v, d = string.match(cur, '^(%d+)|(-?%d+)$')
  version, counted = tonumber(v), tonumber(d)
end
if tonumber(ARGV[2]) <= version then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. '|' .. ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('HINCRBY', KEYS[2], 'aum:' .. ARGV[4], tonumber(ARGV[3]) - counted)
return 1`;

type Attributing = { campaignConvert(...a: (string | number)[]): void; campaignProduct(...a: (string | number)[]): void; campaignAum(...a: (string | number)[]): void; exec(): Promise<[Error | null, unknown][] | null> };

/** A stored arm, or none for a field that does not read as one (it never stops a customer's other campaigns from converting). */
function touchOf(campaignId: string, json: string): ArmTouch[] {
  try {
    const t = JSON.parse(json) as Omit<ArmTouch, 'campaignId'>;
    return (t.arm === 'TREATMENT' || t.arm === 'CONTROL') && Number.isFinite(t.at) ? [{ campaignId, ...t, aumMinor: Number.isFinite(t.aumMinor) ? t.aumMinor : 0 }] : [];
  } catch {
    return [];
  }
}

/**
 * Attribution on Redis, beside the ledger's keys: the customer's latest touch of each campaign
 * (`<prefix>cmp:arms:<customerId>`, which the ledger writes), and marks and sums by message, so a
 * later message of the same campaign starts its own measure without undoing the first's.
 */
@Injectable()
export class RedisConversionLedger implements ConversionLedger {
  private readonly keys: CampaignKeys;
  private readonly zone: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: CampaignConfig,
  ) {
    redis.defineCommand('campaignConvert', { numberOfKeys: 3, lua: CONVERT });
    redis.defineCommand('campaignProduct', { numberOfKeys: 2, lua: PRODUCT });
    redis.defineCommand('campaignAum', { numberOfKeys: 2, lua: AUM });
    this.keys = campaignKeys(config.redisPrefix);
    this.zone = config.rules.defaultTimeZone;
  }

  async touchesOf(customerIds: readonly string[]): Promise<Map<string, ArmTouch[]>> {
    const ids = [...new Set(customerIds)];
    if (!ids.length) return new Map();
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.keys.arms(id));
    const answers = answersOf(await pipeline.exec()) as Array<Record<string, string>>;
    return new Map(ids.map((id, i) => [id, Object.entries(answers[i]).flatMap(([campaignId, json]) => touchOf(campaignId, json))]));
  }

  async record(writes: readonly ConversionWrite[]): Promise<WriteResult[]> {
    if (!writes.length) return [];
    const pipeline = this.redis.pipeline() as unknown as Attributing;
    for (const w of writes) {
      const { campaignId, messageId, arm } = w.touch;
      const stats = this.keys.stats(campaignId);
      const ttl = (w.windowDays + MEMORY_DAYS) * DAY_MS;
      if (w.kind === 'CONVERT') pipeline.campaignConvert(this.keys.conversion(campaignId, messageId), stats, this.keys.channelHistory(), w.eventId, arm, w.touch.channel, w.touch.variant, w.valueMinor, w.credited ? '1' : '0', ttl, isoWeekOf(w.touch.at, this.zone), w.touch.tier ?? '');
      else if (w.kind === 'PRODUCT') pipeline.campaignProduct(this.keys.productSeen(campaignId, w.eventId), stats, arm, ttl);
      else pipeline.campaignAum(this.keys.aum(campaignId), stats, messageId, w.version, w.deltaMinor, arm, ttl);
    }
    return (answersOf(await pipeline.exec()) as number[]).map((n) => (n === 1 ? 'NEW' : n === 2 ? 'AGAIN' : 'BEFORE'));
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { REDIS, answersOf } from '@meridian/shared';
import type Redis from 'ioredis';
import { CampaignConfig } from '../../config/campaign.config';
import { ConversionLedger, ConversionWrite } from '../application/ports/conversion-ledger.port';
import type { ArmTouch } from '../domain/conversion';
import { isoWeekOf } from '../domain/kpi-watch';
import { campaignKeys } from './redis-decision-ledger';

const DAY_MS = 86_400_000;
/** Marks outlive the window they guard by the decisions' memory. */
const MARGIN_DAYS = 35;

/** A customer's conversion for a campaign, once. KEYS: its mark, the counters. ARGV: arm, channel, variant, value, credited (1|0), ttl ms, the touch's ISO week (the KPI watch counts a week's messages' conversions). */
const CONVERT = `
if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[6]) then return 0 end
redis.call('HINCRBY', KEYS[2], 'converted:' .. ARGV[1], 1)
redis.call('HINCRBY', KEYS[2], 'value:' .. ARGV[1], ARGV[4])
if ARGV[1] == 'TREATMENT' then
  redis.call('HINCRBY', KEYS[2], 'converted:channel:' .. ARGV[2], 1)
  redis.call('HINCRBY', KEYS[2], 'converted:variant:' .. ARGV[3], 1)
  redis.call('HINCRBY', KEYS[2], 'converted:week:' .. ARGV[7], 1)
end
if ARGV[5] == '1' then redis.call('HINCRBY', KEYS[2], 'attributedValueMinor', ARGV[4]) end
return 1`;

/** A product opened by an arm's customer, once an event. KEYS: its mark, the counters. ARGV: arm, ttl ms. */
const PRODUCT = `
if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[2]) then return 0 end
redis.call('HINCRBY', KEYS[2], 'products:' .. ARGV[1], 1)
return 1`;

/**
 * A customer's AUM change since the decision, the newest profile version's: the arm's sum moves
 * by the difference with what was counted. KEYS: the campaign's AUM hash, the counters. ARGV:
 * customerId, version, delta, arm.
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
redis.call('HINCRBY', KEYS[2], 'aum:' .. ARGV[4], tonumber(ARGV[3]) - counted)
return 1`;

/** A stored arm, or none for a field that does not read as one (it never stops a customer's other campaigns from converting). */
function touchOf(campaignId: string, json: string): ArmTouch[] {
  try {
    const t = JSON.parse(json) as Omit<ArmTouch, 'campaignId'>;
    return (t.arm === 'TREATMENT' || t.arm === 'CONTROL') && Number.isFinite(t.at) ? [{ campaignId, ...t, aumMinor: Number.isFinite(t.aumMinor) ? t.aumMinor : 0 }] : [];
  } catch {
    return [];
  }
}

/** Attribution on Redis, beside the ledger's keys: `<prefix>cmp:arms:<customerId>` (the ledger writes it), marks and the campaign's counters. */
@Injectable()
export class RedisConversionLedger implements ConversionLedger {
  private readonly keys: ReturnType<typeof campaignKeys>;
  private readonly prefix: string;
  private readonly zone: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: CampaignConfig,
  ) {
    this.keys = campaignKeys(config.redisPrefix);
    this.prefix = config.redisPrefix;
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

  async record(writes: readonly ConversionWrite[]): Promise<void> {
    if (!writes.length) return;
    const pipeline = this.redis.pipeline();
    for (const w of writes) {
      const stats = this.keys.stats(w.touch.campaignId);
      if (w.kind === 'CONVERT') {
        pipeline.eval(CONVERT, 2, `${this.prefix}cmp:conv:${w.touch.campaignId}:${w.customerId}`, stats, w.touch.arm, w.touch.channel, w.touch.variant, w.valueMinor, w.credited ? '1' : '0', (w.windowDays + MARGIN_DAYS) * DAY_MS, isoWeekOf(w.touch.at, this.zone));
      } else if (w.kind === 'PRODUCT') {
        pipeline.eval(PRODUCT, 2, `${this.prefix}cmp:seen:${w.touch.campaignId}:${w.eventId}`, stats, w.touch.arm, (w.windowDays + MARGIN_DAYS) * DAY_MS);
      } else {
        pipeline.eval(AUM, 2, `${this.prefix}cmp:aum:${w.touch.campaignId}`, stats, w.customerId, w.version, w.deltaMinor, w.touch.arm);
      }
    }
    answersOf(await pipeline.exec());
  }
}

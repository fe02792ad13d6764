import { Inject, Injectable } from '@nestjs/common';
import { withoutUndefined } from '@meridian/events/rules';
import { REDIS, answersOf } from '@meridian/shared';
import type Redis from 'ioredis';
import { CampaignConfig } from '../../config/campaign.config';
import { CampaignKeys, campaignKeys } from '../../redis-keys';
import type { ProfileFact } from '../application/ports/customer-records.port';
import { CustomerRecord, DatedChange, newestChanges } from '../domain/customer-facts';

/**
 * A ProfileUpdated kept: over an older version only, never over an erasure; an erasure keeps the
 * version and status alone (PIPL). KEYS: the customer's facts. ARGV: version, status, features (JSON).
 */
const PROFILE = `
local cur = redis.call('HMGET', KEYS[1], 'v', 's')
if cur[2] == 'ERASED' or (cur[1] and tonumber(cur[1]) >= tonumber(ARGV[1])) then return 0 end
if ARGV[2] == 'ERASED' then
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], 'v', ARGV[1], 's', 'ERASED')
  return 1
end
redis.call('HSET', KEYS[1], 'v', ARGV[1], 's', ARGV[2], 'f', ARGV[3])
return 1`;

/**
 * One of segmentation's announcements kept, over one not newer of the same field (an erased
 * customer's never). KEYS: the customer's facts. ARGV: field, its instant (ms), its value (JSON).
 */
const CHANGE = `
if redis.call('HGET', KEYS[1], 's') == 'ERASED' then return 0 end
local at = redis.call('HGET', KEYS[1], 't:' .. ARGV[1])
if at and tonumber(at) > tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3], 't:' .. ARGV[1], ARGV[2])
return 1`;

type Scripted = { campaignFactsProfile(key: string, ...args: string[]): void; campaignFactsChange(key: string, ...args: string[]): void; exec(): Promise<[Error | null, unknown][] | null> };

/** A change's field in the customer's hash: `d:<field>` for a derived fact, `m:<segmentId>` for a membership (its instant under `t:<field>`). */
const fieldOf = (c: DatedChange) => (c.field === 'membership' ? `m:${c.segmentId}` : `d:${c.field}`);

/**
 * What campaign keeps of each customer, as it decides on it (ADR 0015): a Redis hash per customer
 * (`<prefix>cmp:facts:<customerId>`) — the profile's version `v`, status `s` and features `f`
 * (JSON), then each of segmentation's fields `d:<field>` and memberships `m:<segmentId>` (JSON) with
 * its instant `t:<…>` — written under the same guards as MongoDB's copy, in one script a write, so
 * the two agree whatever order the news comes in. Read whole for a batch of customers in one
 * pipeline, together with whether the facts are complete (`<prefix>cmp:facts:built`, set once
 * every customer kept in MongoDB was copied here).
 */
@Injectable()
export class RedisCustomerFacts {
  private readonly keys: CampaignKeys;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: CampaignConfig,
  ) {
    redis.defineCommand('campaignFactsProfile', { numberOfKeys: 1, lua: PROFILE });
    redis.defineCommand('campaignFactsChange', { numberOfKeys: 1, lua: CHANGE });
    this.keys = campaignKeys(config.redisPrefix);
  }

  /** Writes each fact under its guard: an older one than kept changes nothing. */
  async record(profiles: readonly ProfileFact[], changes: readonly DatedChange[]): Promise<void> {
    if (!profiles.length && !changes.length) return;
    const pipeline = this.redis.pipeline() as unknown as Scripted;
    for (const f of profiles) pipeline.campaignFactsProfile(this.keys.facts(f.customerId), String(f.version), f.status, JSON.stringify(withoutUndefined(f.features)));
    for (const c of newestChanges(changes)) {
      const value = c.field === 'membership' ? { in: c.value, at: c.at } : { value: withoutUndefined(c.value), at: c.at };
      pipeline.campaignFactsChange(this.keys.facts(c.customerId), fieldOf(c), String(Date.parse(c.at)), JSON.stringify(value));
    }
    answersOf(await pipeline.exec());
  }

  /** The records kept of these customers, and whether they are every customer's (when not, one missing here may be kept in MongoDB). */
  async get(customerIds: readonly string[]): Promise<{ complete: boolean; records: Map<string, CustomerRecord> }> {
    const ids = [...new Set(customerIds)];
    const pipeline = this.redis.pipeline().exists(this.keys.factsBuilt());
    for (const id of ids) pipeline.hgetall(this.keys.facts(id));
    const [built, ...hashes] = answersOf(await pipeline.exec()) as [number, ...Array<Record<string, string>>];
    const records = new Map<string, CustomerRecord>();
    hashes.forEach((hash, i) => {
      const record = recordOf(ids[i], hash);
      if (record) records.set(ids[i], record);
    });
    return { complete: built === 1, records };
  }

  async markComplete(): Promise<void> {
    await this.redis.set(this.keys.factsBuilt(), '1');
  }

  async isComplete(): Promise<boolean> {
    return (await this.redis.exists(this.keys.factsBuilt())) === 1;
  }
}

/** A customer's hash read back as the record MongoDB would give (none for an empty hash). */
function recordOf(customerId: string, hash: Record<string, string>): CustomerRecord | undefined {
  const record: CustomerRecord = { customerId, version: 0, status: 'ACTIVE', derived: {}, memberships: {} };
  let any = false;
  for (const [field, value] of Object.entries(hash)) {
    any = true;
    if (field === 'v') record.version = Number(value);
    else if (field === 's') record.status = value as CustomerRecord['status'];
    else if (field === 'f') record.features = JSON.parse(value) as CustomerRecord['features'];
    else if (field.startsWith('d:')) (record.derived as Record<string, unknown>)[field.slice(2)] = JSON.parse(value);
    else if (field.startsWith('m:')) record.memberships[field.slice(2)] = JSON.parse(value) as { in: boolean; at: string };
  }
  return any ? record : undefined;
}

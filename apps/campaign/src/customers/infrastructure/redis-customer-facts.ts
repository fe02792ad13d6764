import { Inject, Injectable } from '@nestjs/common';
import { withoutUndefined } from '@meridian/events/rules';
import { REDIS, answersOf } from '@meridian/shared';
import type Redis from 'ioredis';
import { CampaignConfig } from '../../config/campaign.config';
import { CampaignKeys, campaignKeys } from '../../redis-keys';
import type { ProfileFact } from '../application/ports/customer-records.port';
import { CustomerRecord, DatedChange, newestChanges, profilesLeft } from '../domain/customer-facts';

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

/** The copy under its token marks the facts complete. KEYS: the copy's token, the mark. ARGV: token, the server's run id. */
const COMPLETE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2])
redis.call('DEL', KEYS[1])
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
 * every customer kept in MongoDB was copied here, to the Redis server's run id then).
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
    redis.defineCommand('campaignFactsComplete', { numberOfKeys: 2, lua: COMPLETE });
    this.keys = campaignKeys(config.redisPrefix);
    redis.on('ready', () => {
      this.known = undefined;
    });
  }

  /** Writes each fact under its guard: an older one than kept changes nothing. */
  async record(profiles: readonly ProfileFact[], changes: readonly DatedChange[]): Promise<void> {
    if (!profiles.length && !changes.length) return;
    const pipeline = this.redis.pipeline() as unknown as Scripted;
    for (const f of profilesLeft(profiles)) pipeline.campaignFactsProfile(this.keys.facts(f.customerId), String(f.version), f.status, JSON.stringify(withoutUndefined(f.features)));
    for (const c of newestChanges(changes)) {
      const value = c.field === 'membership' ? { in: c.value, at: c.at } : { value: withoutUndefined(c.value), at: c.at };
      pipeline.campaignFactsChange(this.keys.facts(c.customerId), fieldOf(c), String(Date.parse(c.at)), JSON.stringify(value));
    }
    answersOf(await pipeline.exec());
  }

  /** The records kept of these customers, and whether they are every customer's (when not, one missing here may be kept in MongoDB). */
  async get(customerIds: readonly string[]): Promise<{ complete: boolean; records: Map<string, CustomerRecord> }> {
    const ids = [...new Set(customerIds)];
    const runId = await this.runId();
    const pipeline = this.redis.pipeline().get(this.keys.factsBuilt());
    for (const id of ids) pipeline.hgetall(this.keys.facts(id));
    const [built, ...hashes] = answersOf(await pipeline.exec()) as [string | null, ...Array<Record<string, string>>];
    const records = new Map<string, CustomerRecord>();
    hashes.forEach((hash, i) => {
      const record = recordOf(ids[i], hash);
      if (record) records.set(ids[i], record);
    });
    return { complete: built === runId, records };
  }

  /** Those of these customers whose erasure is kept here (whatever the facts' completeness: an erasure is written here first). */
  async erasedAmong(customerIds: readonly string[]): Promise<string[]> {
    const ids = [...new Set(customerIds)];
    if (!ids.length) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hget(this.keys.facts(id), 's');
    const statuses = answersOf(await pipeline.exec()) as Array<string | null>;
    return ids.filter((_, i) => statuses[i] === 'ERASED');
  }

  async isComplete(): Promise<boolean> {
    return (await this.redis.get(this.keys.factsBuilt())) === (await this.runId());
  }

  /** A copy begins: its token, without which it cannot mark the facts complete (a Redis emptied meanwhile took it); the answer is the server's run id. */
  async beginCopy(token: string): Promise<string> {
    await this.redis.set(this.keys.factsCopying(), token);
    return this.serverRunId();
  }

  /** The copy under `token` marks the facts complete; false when its token is gone or the server is not the one it began on (Redis lost data meanwhile). */
  async markComplete(token: string, runId: string): Promise<boolean> {
    if ((await this.serverRunId()) !== runId) return false;
    const done = await (this.redis as unknown as { campaignFactsComplete(...a: string[]): Promise<number> }).campaignFactsComplete(this.keys.factsCopying(), this.keys.factsBuilt(), token, runId);
    return done === 1;
  }

  /** A write that did not land: until a copy has run again, decisions read MongoDB. */
  async markIncomplete(): Promise<void> {
    await this.redis.del(this.keys.factsBuilt());
  }

  /**
   * The Redis server's run id, looked up again whenever the connection is (re)made: a restarted
   * Redis (its data from a snapshot, perhaps older than what was written) or another one after a
   * failover has another, and the facts marked complete under the old one are not trusted.
   */
  private runId(): Promise<string> {
    this.known ??= this.serverRunId().catch((error: Error) => {
      this.known = undefined;
      throw error;
    });
    return this.known;
  }

  private async serverRunId(): Promise<string> {
    return /run_id:(\w+)/.exec(await this.redis.info('server'))?.[1] ?? 'unknown';
  }

  private known?: Promise<string>;
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

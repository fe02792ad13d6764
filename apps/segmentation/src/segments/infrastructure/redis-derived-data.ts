import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { REDIS } from '@meridian/shared';
import type Redis from 'ioredis';
import { SegmentationConfig } from '../../config/segmentation.config';
import { DerivedDataBuild, DerivedDataStore } from '../application/ports/derived-data.port';
import { DerivedContribution } from '../domain/derived-contribution';
import { sweepPartition } from '../domain/sweep-partition';
import { DerivedKeys, LiveDerivedKeys } from './derived-keys';
import { RedisLeases } from './redis-leases';

/** Counter fields written per HSET while a build's totals go in. */
const FIELDS_PER_WRITE = 1_000;
/** Keys asked for per SCAN step. */
const SCAN_COUNT = 1_000;

/**
 * The swap, atomic (a script runs whole): unless the marker is there already (another build
 * came first), the build no longer holds the rebuild's lease, or its fresh keys are gone (its
 * sentinel: another build's begin, or Redis lost again, wiped them), deletes the live keys,
 * renames each fresh key that exists over its live name, and sets the marker last.
 * KEYS: marker, lease, sentinel, n live keys to delete, then fresh/live pairs;
 * ARGV: the marker's value, n deletes, n pairs, the lease token.
 */
const SWAP_IN = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if redis.call('GET', KEYS[2]) ~= ARGV[4] or redis.call('EXISTS', KEYS[3]) == 0 then return 0 end
redis.call('DEL', KEYS[3])
local i = 4
for _ = 1, tonumber(ARGV[2]) do redis.call('DEL', KEYS[i]); i = i + 1 end
for _ = 1, tonumber(ARGV[3]) do
  if redis.call('EXISTS', KEYS[i]) == 1 then redis.call('RENAME', KEYS[i], KEYS[i + 1]) end
  i = i + 2
end
redis.call('SET', KEYS[1], ARGV[1])
return 1`;

/**
 * The derived data's rebuild in Redis: fresh keys under `<prefix>seg:rebuild:<build>:`, the
 * live ones replaced in one script, the marker `<prefix>seg:built` set by that same script.
 * Settled revs (`seg:settled`) are left as they are, and so are the state cache and claims.
 */
@Injectable()
export class RedisDerivedData implements DerivedDataStore {
  private readonly keys: LiveDerivedKeys;
  private readonly leases: RedisLeases;
  private readonly partitions: number;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: SegmentationConfig,
  ) {
    this.keys = new LiveDerivedKeys(config.redisPrefix);
    this.leases = new RedisLeases(redis, config.SEGMENT_REBUILD_LOCK_SECONDS * 1_000);
    this.partitions = config.SEGMENT_SWEEP_PARTITIONS;
  }

  async marker(): Promise<string | undefined> {
    return (await this.redis.get(this.keys.marker)) ?? undefined;
  }

  acquire(): Promise<string | undefined> {
    return this.leases.acquire(this.keys.lease);
  }

  renew(token: string): Promise<boolean> {
    return this.leases.renew(this.keys.lease, token);
  }

  release(token: string): Promise<void> {
    return this.leases.release(this.keys.lease, token);
  }

  async begin(leaseToken: string): Promise<DerivedDataBuild> {
    const leftovers = await this.scanKeys(`${this.keys.freshPrefix}*`);
    for (let i = 0; i < leftovers.length; i += SCAN_COUNT) await this.redis.del(...leftovers.slice(i, i + SCAN_COUNT));
    const fresh = this.keys.fresh(randomUUID());
    await this.redis.set(fresh.sentinel, leaseToken);
    return new RedisDerivedDataBuild(this.redis, this.keys, fresh, this.partitions, (pattern) => this.scanKeys(pattern), leaseToken);
  }

  private async scanKeys(pattern: string): Promise<string[]> {
    const found = new Set<string>();
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_COUNT);
      for (const key of keys) found.add(key);
      cursor = next;
    } while (cursor !== '0');
    return [...found];
  }
}

class RedisDerivedDataBuild implements DerivedDataBuild {
  /** Fresh member sets and due partitions written: renamed over their live names at the swap. */
  private readonly segments = new Set<string>();
  private readonly duePartitions = new Set<number>();

  constructor(
    private readonly redis: Redis,
    private readonly live: LiveDerivedKeys,
    private readonly fresh: DerivedKeys,
    private readonly partitions: number,
    private readonly scanKeys: (pattern: string) => Promise<string[]>,
    private readonly leaseToken: string,
  ) {}

  async add(contributions: readonly DerivedContribution[]): Promise<void> {
    if (!contributions.length) return;
    const pipeline = this.redis.pipeline();
    pipeline.hset(this.fresh.applied, ...contributions.flatMap((c) => [c.customerId, String(c.rev)]));
    pipeline.hset(this.fresh.dueRevs, ...contributions.flatMap((c) => [c.customerId, String(c.rev)]));
    for (const c of contributions) {
      for (const segmentId of c.memberships) {
        pipeline.zadd(this.fresh.members(segmentId), 0, c.customerId);
        this.segments.add(segmentId);
      }
      if (!c.dueAt) continue;
      const partition = sweepPartition(c.customerId, this.partitions);
      pipeline.zadd(this.fresh.due(partition), Date.parse(c.dueAt), c.customerId);
      this.duePartitions.add(partition);
    }
    for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error;
  }

  async commit(counters: Record<string, number>, marker: string): Promise<boolean> {
    const fields = Object.entries(counters).filter(([, v]) => v !== 0);
    for (let i = 0; i < fields.length; i += FIELDS_PER_WRITE) {
      await this.redis.hset(this.fresh.counters, ...fields.slice(i, i + FIELDS_PER_WRITE).flatMap(([k, v]) => [k, String(v)]));
    }
    // Whatever is live now is stale (no write applies without the marker): all of it goes, whatever segment or partition it names.
    const stale = [this.live.counters, this.live.applied, ...(await this.scanKeys(`${this.live.membersPrefix}*`)), ...(await this.scanKeys(`${this.live.duePrefix}*`))];
    const pairs: Array<[string, string]> = [
      [this.fresh.counters, this.live.counters],
      [this.fresh.applied, this.live.applied],
      [this.fresh.dueRevs, this.live.dueRevs],
      ...[...this.segments].map((id): [string, string] => [this.fresh.members(id), this.live.members(id)]),
      ...[...this.duePartitions].map((p): [string, string] => [this.fresh.due(p), this.live.due(p)]),
    ];
    const swapped = await this.redis.eval(SWAP_IN, 3 + stale.length + pairs.length * 2, this.live.marker, this.live.lease, this.fresh.sentinel, ...stale, ...pairs.flat(), marker, stale.length, pairs.length, this.leaseToken);
    if (swapped !== 1) await this.redis.del(this.fresh.sentinel, ...pairs.map(([fresh]) => fresh));
    return swapped === 1;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { REDIS } from '@meridian/shared';
import type Redis from 'ioredis';
import { SegmentationConfig } from '../../config/segmentation.config';
import { DerivedDataMissing } from '../application/ports/derived-data.port';
import { DueIndex } from '../application/ports/due-index.port';
import { sweepPartition } from '../domain/sweep-partition';
import { LiveDerivedKeys, REFUSE_UNLESS_BUILT, isDerivedDataMissing } from './derived-keys';

/** KEYS: the partition's sorted set, the revs hash, the marker (without it nothing is set until the rebuild); ARGV: customer, rev, due ms ('' removes). */
const SCHEDULE_IF_NEWER = `
${REFUSE_UNLESS_BUILT('KEYS[3]')}
if tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '-1') > tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
if ARGV[3] == '' then redis.call('ZREM', KEYS[1], ARGV[1]) else redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1]) end
return 1`;

/**
 * The due index in Redis: one sorted set per partition (`<prefix>seg:due:<p>`), score = the
 * due instant in ms. Written after every state write and before its outbox is cleared, so a
 * crash in between is repaired when the cause is delivered again.
 */
@Injectable()
export class RedisDueIndex implements DueIndex {
  readonly partitions: number;
  private readonly keys: LiveDerivedKeys;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: SegmentationConfig,
  ) {
    this.partitions = config.SEGMENT_SWEEP_PARTITIONS;
    this.keys = new LiveDerivedKeys(config.redisPrefix);
  }

  async schedule(entries: ReadonlyArray<{ customerId: string; rev: number; dueAt?: string }>): Promise<void> {
    if (!entries.length) return;
    const pipeline = this.redis.pipeline();
    for (const { customerId, rev, dueAt } of entries) {
      pipeline.eval(SCHEDULE_IF_NEWER, 3, this.keys.due(sweepPartition(customerId, this.partitions)), this.keys.dueRevs, this.keys.marker, customerId, rev, dueAt ? Date.parse(dueAt) : '');
    }
    for (const [error] of (await pipeline.exec()) ?? []) if (error) throw isDerivedDataMissing(error) ? new DerivedDataMissing() : error;
  }

  due(partition: number, asOf: string, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.keys.due(partition), '-inf', Date.parse(asOf), 'LIMIT', 0, limit);
  }
}

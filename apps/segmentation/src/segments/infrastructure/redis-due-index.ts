import { Inject, Injectable } from '@nestjs/common';
import { REDIS } from '@meridian/shared';
import type Redis from 'ioredis';
import { SegmentationConfig } from '../../config/segmentation.config';
import { DueIndex } from '../application/ports/due-index.port';
import { sweepPartition } from '../domain/sweep-partition';

/** KEYS: the partition's sorted set, the revs hash; ARGV: customer, rev, due ms ('' removes). */
const SCHEDULE_IF_NEWER = `
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
  private readonly prefix: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: SegmentationConfig,
  ) {
    this.partitions = config.SEGMENT_SWEEP_PARTITIONS;
    this.prefix = `${config.redisPrefix}seg:due:`;
  }

  private key(partition: number): string {
    return this.prefix + partition;
  }

  async schedule(entries: ReadonlyArray<{ customerId: string; rev: number; dueAt?: string }>): Promise<void> {
    if (!entries.length) return;
    const pipeline = this.redis.pipeline();
    for (const { customerId, rev, dueAt } of entries) {
      pipeline.eval(SCHEDULE_IF_NEWER, 2, this.key(sweepPartition(customerId, this.partitions)), `${this.prefix}revs`, customerId, rev, dueAt ? Date.parse(dueAt) : '');
    }
    for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error;
  }

  due(partition: number, asOf: string, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.key(partition), '-inf', Date.parse(asOf), 'LIMIT', 0, limit);
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { REDIS } from '@meridian/shared';
import type Redis from 'ioredis';
import { SegmentationConfig } from '../../config/segmentation.config';
import { DueIndex } from '../application/ports/due-index.port';
import { sweepPartition } from '../domain/sweep-partition';

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

  async schedule(entries: ReadonlyArray<{ customerId: string; dueAt?: string }>): Promise<void> {
    if (!entries.length) return;
    const pipeline = this.redis.pipeline();
    for (const { customerId, dueAt } of entries) {
      const key = this.key(sweepPartition(customerId, this.partitions));
      if (dueAt) pipeline.zadd(key, Date.parse(dueAt), customerId);
      else pipeline.zrem(key, customerId);
    }
    for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error;
  }

  due(partition: number, asOf: string, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.key(partition), '-inf', Date.parse(asOf), 'LIMIT', 0, limit);
  }
}

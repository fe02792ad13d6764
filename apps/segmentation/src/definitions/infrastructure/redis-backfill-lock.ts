import { Inject, Injectable } from '@nestjs/common';
import { REDIS } from '@meridian/shared';
import type Redis from 'ioredis';
import { SegmentationConfig } from '../../config/segmentation.config';
import { RedisLeases } from '../../segments/infrastructure/redis-leases';
import { BackfillLock } from '../application/ports/segment-backfills.port';

@Injectable()
export class RedisBackfillLock implements BackfillLock {
  private readonly prefix: string;
  private readonly leases: RedisLeases;

  constructor(@Inject(REDIS) redis: Redis, config: SegmentationConfig) {
    this.prefix = `${config.redisPrefix}seg:backfill:lock:`;
    this.leases = new RedisLeases(redis, config.SEGMENT_BACKFILL_LOCK_SECONDS * 1_000);
  }

  acquire(segmentId: string): Promise<string | undefined> {
    return this.leases.acquire(this.prefix + segmentId);
  }

  renew(segmentId: string, token: string): Promise<boolean> {
    return this.leases.renew(this.prefix + segmentId, token);
  }

  release(segmentId: string, token: string): Promise<void> {
    return this.leases.release(this.prefix + segmentId, token);
  }
}

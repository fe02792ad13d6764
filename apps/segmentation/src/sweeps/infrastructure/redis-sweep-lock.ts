import { Inject, Injectable } from '@nestjs/common';
import { REDIS } from '@meridian/shared';
import type Redis from 'ioredis';
import { SegmentationConfig } from '../../config/segmentation.config';
import { RedisLeases } from '../../segments/infrastructure/redis-leases';
import { SweepLock } from '../application/ports/sweep-lock.port';

@Injectable()
export class RedisSweepLock implements SweepLock {
  private readonly key: string;
  private readonly leases: RedisLeases;

  constructor(@Inject(REDIS) redis: Redis, config: SegmentationConfig) {
    this.key = `${config.redisPrefix}seg:sweep:lock`;
    this.leases = new RedisLeases(redis, config.SEGMENT_SWEEP_LOCK_SECONDS * 1_000);
  }

  acquire(): Promise<string | undefined> {
    return this.leases.acquire(this.key);
  }

  renew(token: string): Promise<boolean> {
    return this.leases.renew(this.key, token);
  }

  release(token: string): Promise<void> {
    return this.leases.release(this.key, token);
  }
}

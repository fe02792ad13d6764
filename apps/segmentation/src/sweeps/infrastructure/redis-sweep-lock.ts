import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { REDIS } from '@meridian/shared';
import type Redis from 'ioredis';
import { SegmentationConfig } from '../../config/segmentation.config';
import { SweepLock } from '../application/ports/sweep-lock.port';

/** Extends or deletes the lease only while it is still the caller's. */
const IF_MINE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '' then redis.call('DEL', KEYS[1]) else redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1`;

@Injectable()
export class RedisSweepLock implements SweepLock {
  private readonly key: string;
  private readonly leaseMs: number;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: SegmentationConfig,
  ) {
    this.key = `${config.redisPrefix}seg:sweep:lock`;
    this.leaseMs = config.SEGMENT_SWEEP_LOCK_SECONDS * 1_000;
  }

  async acquire(): Promise<string | undefined> {
    const token = randomUUID();
    return (await this.redis.set(this.key, token, 'PX', this.leaseMs, 'NX')) === 'OK' ? token : undefined;
  }

  async renew(token: string): Promise<boolean> {
    return (await this.redis.eval(IF_MINE, 1, this.key, token, String(this.leaseMs))) === 1;
  }

  async release(token: string): Promise<void> {
    await this.redis.eval(IF_MINE, 1, this.key, token, '');
  }
}

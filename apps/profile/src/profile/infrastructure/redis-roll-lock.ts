import { Inject, Injectable } from '@nestjs/common';
import { REDIS, RedisLease } from '@meridian/shared';
import type Redis from 'ioredis';
import { ProfileConfig } from '../../config/profile.config';
import { RollLock } from '../application/ports/roll-records.port';

/** The day roll's lease: `<prefix>profile:roll:lock`, PROFILE_ROLL_LOCK_SECONDS. */
@Injectable()
export class RedisRollLock extends RedisLease implements RollLock {
  constructor(@Inject(REDIS) redis: Redis, config: ProfileConfig) {
    super(redis, `${config.redisPrefix}profile:roll:lock`, config.PROFILE_ROLL_LOCK_SECONDS * 1_000);
  }
}

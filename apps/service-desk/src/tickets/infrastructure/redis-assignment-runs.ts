import { Inject, Injectable } from '@nestjs/common';
import { REDIS, RedisLease, leaseKeptDuring } from '@meridian/shared';
import type Redis from 'ioredis';
import { ServiceDeskConfig } from '../../config/service-desk.config';
import { AssignmentRuns } from '../application/ports/assignment-runs.port';

const LEASE_MS = 30_000;

/** The assignment's turn as a Redis lease (`<prefix>sd:assignment-run`), renewed while a run lasts. */
@Injectable()
export class RedisAssignmentRuns implements AssignmentRuns {
  private readonly lease: RedisLease;

  constructor(@Inject(REDIS) redis: Redis, config: ServiceDeskConfig) {
    this.lease = new RedisLease(redis, `${config.redisPrefix}sd:assignment-run`, LEASE_MS);
  }

  async alone<T>(work: () => Promise<T>): Promise<T | undefined> {
    const token = await this.lease.acquire();
    if (!token) return undefined;
    try {
      return await leaseKeptDuring(() => this.lease.renew(token), LEASE_MS / 3, work);
    } finally {
      await this.lease.release(token).catch(() => undefined);
    }
  }
}

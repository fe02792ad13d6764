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

  async alone<T>(work: (fence: () => Promise<void>) => Promise<T>): Promise<T | undefined> {
    const token = await this.lease.acquire();
    if (!token) return undefined;
    const fence = async () => {
      if (!(await this.lease.renew(token))) throw new Error('the assignment run lost its turn (another run may have it): stopping');
    };
    try {
      return await leaseKeptDuring(() => this.lease.renew(token), LEASE_MS / 3, () => work(fence));
    } finally {
      await this.lease.release(token).catch(() => undefined);
    }
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { Fence, REDIS } from '@meridian/shared';
import type Redis from 'ioredis';
import { CampaignConfig } from '../../config/campaign.config';
import { holdCustomerLease } from '../../customers/infrastructure/redis-customer-leases';
import { CampaignKeys, campaignKeys } from '../../redis-keys';
import { PointsAccountBusyError, PointsLocks } from '../application/ports/points-locks.port';

/** Points account locks as Redis leases (`<prefix>cmp:pts:lock:<customerId>`). */
@Injectable()
export class RedisPointsLocks implements PointsLocks {
  private readonly keys: CampaignKeys;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: CampaignConfig,
  ) {
    this.keys = campaignKeys(config.redisPrefix);
  }

  hold<T>(customerId: string, work: (fence: Fence) => Promise<T>): Promise<T> {
    return holdCustomerLease(this.redis, this.keys.pointsLock(customerId), 'a points account', () => new PointsAccountBusyError(customerId), work);
  }
}

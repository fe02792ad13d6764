import { Inject, Injectable } from '@nestjs/common';
import { REDIS, answersOf } from '@meridian/shared';
import type Redis from 'ioredis';
import { ServiceDeskConfig } from '../../config/service-desk.config';
import { CustomerMembers } from '../application/ports/customer-members.port';

/** Each holder's members as a Redis set (`<prefix>sd:members:<holderId>`): SADD and SREM are atomic, whichever instance folds which member. */
@Injectable()
export class RedisCustomerMembers implements CustomerMembers {
  private readonly prefix: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: ServiceDeskConfig,
  ) {
    this.prefix = `${config.redisPrefix}sd:members:`;
  }

  async add(holderId: string, memberId: string): Promise<void> {
    await this.redis.sadd(this.prefix + holderId, memberId);
  }

  async remove(holderId: string, memberId: string): Promise<void> {
    await this.redis.srem(this.prefix + holderId, memberId);
  }

  async of(holderIds: readonly string[]): Promise<Map<string, string[]>> {
    if (!holderIds.length) return new Map();
    const pipeline = this.redis.pipeline();
    for (const id of holderIds) pipeline.smembers(this.prefix + id);
    const members = answersOf(await pipeline.exec()) as string[][];
    return new Map(holderIds.map((id, i) => [id, [...members[i]].sort()]));
  }
}

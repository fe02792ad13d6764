import { Inject, Injectable } from '@nestjs/common';
import { REDIS } from '@meridian/shared';
import type Redis from 'ioredis';
import { ServiceDeskConfig } from '../../config/service-desk.config';
import { UnsettledTickets } from '../application/ports/unsettled-tickets.port';

/** Unsettled tickets in one Redis sorted set (`<prefix>sd:unsettled`, score = when last marked, in ms). */
@Injectable()
export class RedisUnsettledTickets implements UnsettledTickets {
  private readonly key: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: ServiceDeskConfig,
  ) {
    this.key = `${config.redisPrefix}sd:unsettled`;
  }

  async mark(ticketIds: readonly string[], at: Date): Promise<void> {
    // The latest mark counts: the settle job waits a while after it, so it never takes a write still in flight for a crash's.
    if (ticketIds.length) await this.redis.zadd(this.key, ...ticketIds.flatMap((id) => [at.getTime(), id]));
  }

  async unmark(ticketIds: readonly string[]): Promise<void> {
    if (ticketIds.length) await this.redis.zrem(this.key, ...ticketIds);
  }

  async markedBefore(before: Date, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.key, '-inf', before.getTime(), 'LIMIT', 0, limit);
  }
}

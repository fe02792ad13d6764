import { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { createRedis } from '../redis/redis.factory';

/**
 * A service's BullMQ queue (`<prefix>bull:<name>`) on a connection of its own that fails fast
 * while Redis is away — the caller that adds a job sees it, unlike a worker's connection, which
 * waits. `close` before the application's connections go.
 */
export class JobQueue<T> {
  private readonly connection: Redis;
  readonly queue: Queue<T>;

  constructor(name: string, options: { redisUrl: string; prefix: string }) {
    this.connection = createRedis(options.redisUrl);
    this.queue = new Queue<T>(name, { connection: this.connection, prefix: `${options.prefix}bull` });
  }

  async close(): Promise<void> {
    await this.queue.close();
    this.connection.disconnect();
  }
}

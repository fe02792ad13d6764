import Redis, { RedisOptions } from 'ioredis';

/**
 * An ioredis client that never blocks start-up: commands fail fast while Redis is
 * unreachable (readiness reports it) and the client reconnects with capped backoff.
 */
export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    connectTimeout: 5_000,
    retryStrategy: (times) => Math.min(times * 200, 5_000),
    ...options,
  });
}

export const REDIS = Symbol('REDIS');

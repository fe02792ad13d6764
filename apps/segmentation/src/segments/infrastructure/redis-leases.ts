import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';

/** Extends or deletes the lease only while it is still the caller's. */
const IF_MINE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '' then redis.call('DEL', KEYS[1]) else redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1`;

/** Leases in Redis, one holder per key across instances, lapsing if the holder dies (the sweep's lock, each segment's back-fill). */
export class RedisLeases {
  constructor(
    private readonly redis: Redis,
    private readonly leaseMs: number,
  ) {}

  /** A token when taken, undefined when another holds it. */
  async acquire(key: string): Promise<string | undefined> {
    const token = randomUUID();
    return (await this.redis.set(key, token, 'PX', this.leaseMs, 'NX')) === 'OK' ? token : undefined;
  }

  /** Extends the lease; false when it was lost (lapsed and taken by another). */
  async renew(key: string, token: string): Promise<boolean> {
    return (await this.redis.eval(IF_MINE, 1, key, token, String(this.leaseMs))) === 1;
  }

  async release(key: string, token: string): Promise<void> {
    await this.redis.eval(IF_MINE, 1, key, token, '');
  }
}

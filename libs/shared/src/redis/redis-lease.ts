import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';

/** Extends or deletes the lease only while it is still the caller's. */
const IF_MINE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '' then redis.call('DEL', KEYS[1]) else redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1`;

/**
 * One holder at a time across instances (a daily sweep, a roll): a Redis key with a
 * random token that lapses if its holder dies without releasing it.
 */
export class RedisLease {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly leaseMs: number,
  ) {}

  /** A token when taken, undefined when another holds it. */
  async acquire(): Promise<string | undefined> {
    const token = randomUUID();
    return (await this.redis.set(this.key, token, 'PX', this.leaseMs, 'NX')) === 'OK' ? token : undefined;
  }

  /** Extends the lease; false when it was lost (lapsed and taken by another). */
  async renew(token: string): Promise<boolean> {
    return (await this.redis.eval(IF_MINE, 1, this.key, token, String(this.leaseMs))) === 1;
  }

  async release(token: string): Promise<void> {
    await this.redis.eval(IF_MINE, 1, this.key, token, '');
  }

  /**
   * Takes the lease, trying every `pollMs` for about `waitMs` (counted in tries: a courtesy
   * bound, not a deadline); a token, or undefined when another kept it all that time.
   */
  async acquireWaiting(waitMs: number, pollMs = 20): Promise<string | undefined> {
    let token = await this.acquire();
    for (let tries = 0; !token && tries * pollMs < waitMs; tries++) {
      await new Promise((resolve) => setTimeout(resolve, pollMs));
      token = await this.acquire();
    }
    return token;
  }
}

import { Fence, RedisLease, whileLeasesHeld } from '@meridian/shared';
import type Redis from 'ioredis';

/** A lease lapses this long after its holder stopped renewing it (a crash); renewed at a third of it while held. */
const LEASE_MS = 15_000;
/** How long a change waits for a customer's record another holds: a change takes milliseconds, so 50 requests at once for one customer all get their turn. */
const WAIT_MS = 10_000;
/** Between tries for a taken lease: short, as the holder's change is. */
const POLL_MS = 5;

/**
 * One writer at a time of one customer's record of a kind (a points account, a lead) across
 * instances: a Redis lease per customer (`key(customerId)`, a random token, released only by its
 * holder), renewed while the work runs; the fence stops a write once it was lost. `busy` is what
 * is thrown when another holds it longer than a caller waits.
 */
async function holdCustomerLease<T>(redis: Redis, key: string, what: string, busy: () => Error, work: (fence: Fence) => Promise<T>): Promise<T> {
  const lease = new RedisLease(redis, key, LEASE_MS);
  const token = await lease.acquireWaiting(WAIT_MS, POLL_MS);
  if (!token) throw busy();
  return whileLeasesHeld([[lease, token]], LEASE_MS / 3, what, work);
}

/** A customer's record of one kind held one writer at a time (`keyOf(customerId)` the lease's key): the points accounts' and the leads' locks. */
export class RedisCustomerLocks {
  constructor(
    private readonly redis: Redis,
    private readonly keyOf: (customerId: string) => string,
    private readonly what: string,
    private readonly busy: (customerId: string) => Error,
  ) {}

  hold<T>(customerId: string, work: (fence: Fence) => Promise<T>): Promise<T> {
    return holdCustomerLease(this.redis, this.keyOf(customerId), this.what, () => this.busy(customerId), work);
  }
}

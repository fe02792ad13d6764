import { leaseKeptDuring } from './lease-kept-during';
import type { RedisLease } from './redis-lease';

/** Renews the leases held and throws when one was lost (it lapsed, and another may hold it now): call it before each write. */
export type Fence = () => Promise<void>;

/**
 * Runs `work` holding leases already taken (`[lease, token]`): renews them every `renewEveryMs`
 * while it runs and releases them after. A lease lost meanwhile fails the work once it ends, and
 * the fence it is given stops its next write — so a holder whose event loop stalled past the
 * lease does not write over its successor (ADR 0011's one writer per ticket, campaign's per
 * points account).
 */
export async function whileLeasesHeld<T>(leases: ReadonlyArray<readonly [RedisLease, string]>, renewEveryMs: number, what: string, work: (fence: Fence) => Promise<T>): Promise<T> {
  const renew = async () => (await Promise.all(leases.map(([lease, token]) => lease.renew(token)))).every(Boolean);
  const fence: Fence = async () => {
    if (!(await renew())) throw new Error(`${what} lock lapsed before its write (another holder may have it): the write is left to it`);
  };
  try {
    return await leaseKeptDuring(renew, renewEveryMs, () => work(fence));
  } finally {
    await Promise.all(leases.map(([lease, token]) => lease.release(token).catch(() => undefined)));
  }
}

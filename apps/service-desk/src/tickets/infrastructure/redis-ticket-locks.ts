import { Inject, Injectable } from '@nestjs/common';
import { REDIS, RedisLease, mapLimit, whileLeasesHeld } from '@meridian/shared';
import type Redis from 'ioredis';
import { ServiceDeskConfig } from '../../config/service-desk.config';
import { Fence, TicketBusyError, TicketLocks } from '../application/ports/ticket-locks.port';

/** A lock lapses this long after its holder stopped renewing it (a crash); renewed at a third of it while held. */
const LEASE_MS = 15_000;
/** How long a change waits for a ticket another request holds: a step takes milliseconds, so this is generous. */
const WAIT_MS = 5_000;

/** Ticket locks as Redis leases (`<prefix>sd:ticket-lock:<ticketId>`, a random token, released only by its holder). */
@Injectable()
export class RedisTicketLocks implements TicketLocks {
  private readonly prefix: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: ServiceDeskConfig,
  ) {
    this.prefix = `${config.redisPrefix}sd:ticket-lock:`;
  }

  private lease(ticketId: string): RedisLease {
    return new RedisLease(this.redis, `${this.prefix}${ticketId}`, LEASE_MS);
  }

  async hold<T>(ticketId: string, work: (fence: Fence) => Promise<T>): Promise<T> {
    const lease = this.lease(ticketId);
    const token = await lease.acquireWaiting(WAIT_MS);
    if (!token) throw new TicketBusyError(ticketId);
    return this.run([[lease, token]], work);
  }

  async holdFree<T>(ticketIds: readonly string[], work: (held: string[], fence: Fence) => Promise<T>): Promise<T> {
    const taken = await mapLimit([...ticketIds], 16, async (id) => {
      const lease = this.lease(id);
      const token = await lease.acquire();
      return token ? { id, lease, token } : undefined;
    });
    const held = taken.filter((t): t is NonNullable<typeof t> => !!t);
    return this.run(
      held.map((h) => [h.lease, h.token]),
      (fence) => work(held.map((h) => h.id), fence),
    );
  }

  /** Renews the leases while `work` runs and releases them after; a lease lost meanwhile fails the work, and the fence stops its next write. */
  private run<T>(leases: Array<[RedisLease, string]>, work: (fence: Fence) => Promise<T>): Promise<T> {
    return whileLeasesHeld(leases, LEASE_MS / 3, 'a ticket', work);
  }
}

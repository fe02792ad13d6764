import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EventPublisher } from '@meridian/events/kafka';
import { Clock } from '@meridian/shared';
import { IdentityStore } from './ports/identity-store.port';
import { changesToMake, eventsToPublish, undoneMerges } from './undone-merges';

/** How old an outbox document must be before the relay takes it: a live batch finishes in far less. */
const GRACE_MS = 30_000;
const EVERY_MS = 15_000;

/**
 * Finishes identity changes a crash interrupted (STYLE.md rule 12): an outbox document
 * still there after the grace period (counted from when it was written) is made again
 * (idempotently, and without undoing what happened since: a key that moved on stays, an
 * undone merge is neither made nor announced again), its events published, and it is
 * deleted. Runs at start-up and every 15 s.
 */
@Injectable()
export class IdentityOutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IdentityOutboxRelay.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly repository: IdentityStore,
    private readonly publisher: EventPublisher,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), EVERY_MS);
    this.timer.unref();
    void this.tick();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  private async tick(): Promise<void> {
    // Not yet connected (start-up, an outage): the next tick will do.
    if (this.running || !this.repository.connected) return;
    this.running = this.relay(new Date(this.clock.now().getTime() - GRACE_MS));
    try {
      const n = await this.running;
      if (n) this.logger.warn(`finished ${n} identity change(s) left by an interrupted batch`);
    } catch (error) {
      this.logger.warn(`identity outbox relay failed, will retry: ${(error as Error).message}`);
    } finally {
      this.running = undefined;
    }
  }

  /** Relays what was written before `before`; answers how many documents it finished. */
  async relay(before: Date): Promise<number> {
    const pending = await this.repository.pendingOutbox(before);
    for (const doc of pending) {
      const at = this.clock.now();
      const undone = await undoneMerges(this.repository, doc.changes);
      for (const change of changesToMake(undone, doc.changes)) await this.repository.refreshCachedOwners([...(await this.repository.apply(change, at, true)).keys()]);
      await this.publisher.publishAll(eventsToPublish(undone, doc.events));
      await this.repository.deleteOutbox([doc._id]);
    }
    return pending.length;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { REDIS, insertNew, mapLimit } from '@meridian/shared';
import type Redis from 'ioredis';
import type { Connection } from 'mongoose';
import { IngestConfig } from '../../config/ingest.config';

/** ingest_claims: an eventId ingest has started on (claimed by insert). */
interface ClaimDoc {
  _id: string;
  claimedAt: Date;
}

/** ingest_done: an eventId whose canonical events are published, and its customer. */
interface DoneDoc {
  _id: string;
  customerId: string;
  doneAt: Date;
}

/**
 * De-duplication by eventId (issue 3): a fast Redis window of done eventIds, and a durable
 * guard in MongoDB. The durable check is an insert — one round trip for a whole batch on
 * both MongoDB and FerretDB — into `ingest_claims`; only an eventId already claimed is
 * looked up in `ingest_done`, to tell a true duplicate from a retry after a crash between
 * publishing and recording (which is then published again, with the same eventId, and
 * absorbed by the consumers' own idempotency).
 */
@Injectable()
export class DedupStore {
  private readonly prefix: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @InjectConnection() private readonly connection: Connection,
    private readonly config: IngestConfig,
  ) {
    this.prefix = `${config.redisPrefix}done:`;
  }

  private get claims() {
    return this.connection.collection<ClaimDoc>('ingest_claims');
  }
  private get done() {
    return this.connection.collection<DoneDoc>('ingest_done');
  }

  /** eventId → customerId of those Redis remembers as done. */
  async recentlyDone(eventIds: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (!eventIds.length) return out;
    const values = await this.redis.mget(eventIds.map((id) => this.prefix + id));
    eventIds.forEach((id, i) => {
      const customerId = values[i];
      if (customerId !== null) out.set(id, customerId);
    });
    return out;
  }

  /** Claims eventIds; answers eventId → customerId of those MongoDB records as done before. */
  async claimOrDone(eventIds: readonly string[], at: Date): Promise<Map<string, string>> {
    const seen = await insertNew(this.claims, eventIds.map((id) => ({ _id: id, claimedAt: at })));
    const again = [...seen].map((i) => eventIds[i]);
    const docs = await mapLimit(again, 16, (id) => this.done.findOne({ _id: id }));
    const out = new Map<string, string>();
    docs.forEach((d) => d && out.set(d._id, d.customerId));
    // Re-warm the fast window with what the durable record knew.
    if (out.size) await this.remember(out);
    return out;
  }

  async markDone(done: ReadonlyMap<string, string>, at: Date): Promise<void> {
    if (!done.size) return;
    await insertNew(this.done, [...done].map(([id, customerId]) => ({ _id: id, customerId, doneAt: at })));
    await this.remember(done);
  }

  private async remember(done: ReadonlyMap<string, string>): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const [id, customerId] of done) pipeline.set(this.prefix + id, customerId, 'EX', this.config.INGEST_DEDUP_WINDOW_SECONDS);
    await pipeline.exec();
  }
}

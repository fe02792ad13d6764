import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { REDIS, nativeCollection, insertNew, mapLimit } from '@meridian/shared';
import type Redis from 'ioredis';
import type { Connection } from 'mongoose';
import { IngestConfig } from '../../config/ingest.config';

/** ingest_events: an eventId ingest took on, and the run that took it. */
interface EventDoc {
  _id: string;
  runId: string;
  at: Date;
}

/** ingest_runs: a run whose events are all published. */
interface RunDoc {
  _id: string;
  at: Date;
  events: number;
}

/** One batch's de-duplication: which of its eventIds are new, and how to record them done. */
export interface DedupRun {
  runId: string;
  /** eventId → customerId (when known) of those done before. */
  done: Map<string, string | undefined>;
  /** eventIds taken on by a run that never finished (a crash before publishing): they go again. */
  retried: string[];
}

/**
 * De-duplication by eventId (issue 3): a fast Redis window of done eventIds (with their
 * customer), and a durable guard in MongoDB that costs one bulk insert per batch on both
 * MongoDB and FerretDB: every eventId is inserted into `ingest_events` with the batch's
 * runId, and one `ingest_runs` document records the run done once its events are
 * published. Only an eventId that was already there (rare: a replay past the window, or a
 * retry) is read back, to tell a true duplicate (its run finished) from the retry of a run
 * that crashed before publishing — which goes again, with the same eventIds, absorbed by
 * the consumers' own idempotency.
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

  private get events() {
    return nativeCollection<EventDoc>(this.connection, 'ingest_events');
  }
  private get runs() {
    return nativeCollection<RunDoc>(this.connection, 'ingest_runs');
  }

  async begin(eventIds: readonly string[], at: Date): Promise<DedupRun> {
    const run: DedupRun = { runId: randomUUID(), done: new Map(), retried: [] };
    if (!eventIds.length) return run;
    const values = await this.redis.mget(eventIds.map((id) => this.prefix + id));
    const unknown: string[] = [];
    eventIds.forEach((id, i) => {
      const customerId = values[i];
      if (customerId !== null) run.done.set(id, customerId || undefined);
      else unknown.push(id);
    });
    const seen = [...(await insertNew(this.events, unknown.map((id) => ({ _id: id, runId: run.runId, at }))))].map((i) => unknown[i]);
    const docs = await mapLimit(seen, 16, (id) => this.events.findOne({ _id: id }));
    const finished = new Map<string, boolean>();
    for (const doc of docs) {
      if (!doc) continue;
      if (!finished.has(doc.runId)) finished.set(doc.runId, (await this.runs.countDocuments({ _id: doc.runId }, { limit: 1 })) > 0);
      if (finished.get(doc.runId)) run.done.set(doc._id, undefined);
      else run.retried.push(doc._id);
    }
    // Re-warm the window with what only the durable record knew (the customer is not kept there).
    const rewarm = [...run.done].filter(([id, c]) => c === undefined && seen.includes(id));
    if (rewarm.length) await this.remember(new Map(rewarm.map(([id]) => [id, ''])));
    return run;
  }

  /** After publishing: the run is done; Redis remembers each eventId's customer for the window. */
  async finish(run: DedupRun, accepted: ReadonlyMap<string, string>, at: Date): Promise<void> {
    if (!accepted.size) return;
    for (const id of run.retried) if (accepted.has(id)) await this.events.updateOne({ _id: id }, { $set: { runId: run.runId, at } });
    await this.runs.insertOne({ _id: run.runId, at, events: accepted.size });
    await this.remember(accepted);
  }

  private async remember(done: ReadonlyMap<string, string>): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const [id, customerId] of done) pipeline.set(this.prefix + id, customerId, 'EX', this.config.INGEST_DEDUP_WINDOW_SECONDS);
    await pipeline.exec();
  }
}

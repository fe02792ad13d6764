import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Clock, REDIS, insertNew, mapLimit, nativeCollection } from '@meridian/shared';
import { setTimeout as sleep } from 'node:timers/promises';
import type Redis from 'ioredis';
import type { Connection } from 'mongoose';
import { IngestConfig } from '../../config/ingest.config';
import { DedupRun, EventDedup } from '../application/ports/event-dedup.port';

/** ingest_events: an eventId ingest took on, the run that holds it, and since when. */
interface EventDoc {
  _id: string;
  runId: string;
  at: Date;
}

/** ingest_runs: a run whose events are all published — or that gave them up (it failed). */
interface RunDoc {
  _id: string;
  at: Date;
  events: number;
  abandoned?: true;
}

const POLL_MS = 200;

/**
 * De-duplication by eventId (issue 3): a fast Redis window of done eventIds (with their
 * customer), and a durable guard in MongoDB that costs one bulk insert per batch on both
 * MongoDB and FerretDB: every eventId is claimed in `ingest_events` with the batch's
 * runId, and one `ingest_runs` document records the run done once its events are
 * published. Only an eventId that was already claimed (rare: a replay past the window, a
 * retry, or the same event arriving twice at once) is read back:
 * - its run finished → a duplicate;
 * - its run gave up (a failure: `abandon`), or has held it longer than the lease (a
 *   crash) → this run takes it over and publishes it, with the same eventId;
 * - its run is still at work → this run waits for it, then answers duplicate (or takes
 *   over if it gave up), so two concurrent deliveries publish once.
 */
@Injectable()
export class DedupStore implements EventDedup {
  private readonly prefix: string;
  /** Runs of this process between `begin` and `finish`/`abandon`. */
  private readonly active = new Set<string>();
  /** Runs of this process that wait, and the runs they wait for (a cycle is broken, not waited out). */
  private readonly waitingFor = new Map<string, Set<string>>();

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @InjectConnection() private readonly connection: Connection,
    private readonly config: IngestConfig,
    private readonly clock: Clock,
  ) {
    this.prefix = `${config.redisPrefix}done:`;
  }

  private get events() {
    return nativeCollection<EventDoc>(this.connection, 'ingest_events');
  }
  private get runs() {
    return nativeCollection<RunDoc>(this.connection, 'ingest_runs');
  }

  /** `heartbeat` is called while waiting for another run (a Kafka consumer stays in its group). */
  async begin(eventIds: readonly string[], at: Date, heartbeat?: () => Promise<void>, attempt = 1): Promise<DedupRun> {
    const run: DedupRun = { runId: randomUUID(), done: new Map(), retried: [] };
    if (!eventIds.length) return run;
    this.active.add(run.runId);
    const startedAt = this.clock.now().getTime();
    try {
      const values = await this.redis.mget(eventIds.map((id) => this.prefix + id));
      const unknown: string[] = [];
      eventIds.forEach((id, i) => {
        const customerId = values[i];
        if (customerId !== null) run.done.set(id, customerId || undefined);
        else unknown.push(id);
      });
      let contested = [...(await insertNew(this.events, unknown.map((id) => ({ _id: id, runId: run.runId, at }))))].map((i) => unknown[i]);
      const rewarm: string[] = [];
      const giveUpAt = this.clock.now().getTime() + 2 * this.config.INGEST_RUN_LEASE_SECONDS * 1_000;
      while (contested.length) {
        const waiting: string[] = [];
        const docs = await mapLimit(contested, 16, (id) => this.events.findOne({ _id: id }));
        const runs = new Map<string, RunDoc | null>();
        for (const runId of new Set(docs.map((d) => d?.runId).filter((r): r is string => !!r))) runs.set(runId, await this.runs.findOne({ _id: runId }));
        const holders = new Set<string>();
        for (const [i, id] of contested.entries()) {
          const doc = docs[i];
          const holder = doc ? runs.get(doc.runId) : undefined;
          if (doc && holder && !holder.abandoned) {
            run.done.set(id, undefined);
            rewarm.push(id);
          } else if (doc && !holder && (this.active.has(doc.runId) || this.clock.now().getTime() - new Date(doc.at).getTime() < this.config.INGEST_RUN_LEASE_SECONDS * 1_000)) {
            waiting.push(id); // another run is at work on it
            holders.add(doc.runId);
          } else if (await this.takeOver(id, doc, run.runId)) {
            run.retried.push(id);
          } else {
            waiting.push(id); // someone else took it over first
          }
        }
        if (!waiting.length) break;
        // Two runs of this process holding what the other needs (the same events in another
        // order): the later-named gives its claims up and starts again, so the other goes on.
        this.waitingFor.set(run.runId, holders);
        if (attempt < 5 && [...holders].some((h) => h < run.runId && this.waitingFor.get(h)?.has(run.runId))) {
          await this.abandon(run);
          return this.begin(eventIds, at, heartbeat, attempt + 1);
        }
        // A run of this process that never lets go would hold us for ever: fail, and be retried.
        if (this.clock.now().getTime() > giveUpAt) throw new Error(`eventId ${waiting[0]} is still held by a run at work after ${2 * this.config.INGEST_RUN_LEASE_SECONDS} s`);
        await sleep(POLL_MS);
        await heartbeat?.();
        // Finished meanwhile? The window knows it first (with the customer).
        const now = await this.redis.mget(waiting.map((id) => this.prefix + id));
        contested = waiting.filter((id, i) => {
          if (now[i] === null) return true;
          run.done.set(id, now[i] || undefined);
          return false;
        });
      }
      this.waitingFor.delete(run.runId);
      // Waited long: the claims are stamped again, or another process would take this run for crashed.
      if (this.clock.now().getTime() - startedAt > (this.config.INGEST_RUN_LEASE_SECONDS * 1_000) / 3) {
        const now = this.clock.now();
        await mapLimit([...unknown, ...run.retried], 16, (id) => this.events.updateOne({ _id: id, runId: run.runId }, { $set: { at: now } }));
      }
      // Re-warm the window with what only the durable record knew (the customer is not kept there).
      if (rewarm.length) await this.remember(new Map(rewarm.map((id) => [id, ''])));
      return run;
    } catch (error) {
      await this.abandon(run);
      throw error;
    }
  }

  /** Claims an eventId whose run failed or crashed (a missing claim is claimed afresh). */
  private async takeOver(id: string, doc: EventDoc | null, runId: string): Promise<boolean> {
    const at = this.clock.now();
    if (!doc) return (await insertNew(this.events, [{ _id: id, runId, at }])).size === 0;
    return (await this.events.updateOne({ _id: id, runId: doc.runId }, { $set: { runId, at } })).matchedCount === 1;
  }

  /** After publishing: the run is done; Redis remembers each eventId's customer for the window. */
  async finish(run: DedupRun, accepted: ReadonlyMap<string, string>, at: Date): Promise<void> {
    if (accepted.size) {
      await this.runs.insertOne({ _id: run.runId, at, events: accepted.size });
      await this.remember(accepted);
    }
    this.active.delete(run.runId);
  }

  /**
   * The run failed before it finished: its claims are given up at once, so its retry (or a
   * concurrent delivery) takes them over instead of waiting for the lease. Best effort — if
   * the database is what failed, the lease frees them.
   */
  async abandon(run: DedupRun): Promise<void> {
    this.active.delete(run.runId);
    this.waitingFor.delete(run.runId);
    await this.runs.insertOne({ _id: run.runId, at: this.clock.now(), events: 0, abandoned: true }).catch(() => undefined);
  }

  /** Retention: forgets the claims and runs older than `before`; answers how many of each. */
  async sweep(before: Date): Promise<{ events: number; runs: number }> {
    const events = (await this.events.deleteMany({ at: { $lt: before } })).deletedCount;
    // A run is done after its claims were made: deleting by the same date never leaves a claim without its run.
    const runs = (await this.runs.deleteMany({ at: { $lt: before } })).deletedCount;
    return { events, runs };
  }

  private async remember(done: ReadonlyMap<string, string>): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const [id, customerId] of done) pipeline.set(this.prefix + id, customerId, 'EX', this.config.INGEST_DEDUP_WINDOW_SECONDS);
    await pipeline.exec();
  }
}

import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Clock, REDIS, insertNew, mapLimit, nativeCollection } from '@meridian/shared';
import { setTimeout as sleep } from 'node:timers/promises';
import type Redis from 'ioredis';
import type { Connection } from 'mongoose';
import { IngestConfig } from '../../config/ingest.config';
import { DedupClaim, DedupRun, DoneClaim, EventDedup } from '../application/ports/event-dedup.port';

/**
 * ingest_events: an eventId or a business key ingest took on, the run that holds it, and
 * since when; a business key also keeps the fingerprint of the content it was taken on with.
 */
interface EventDoc {
  _id: string;
  runId: string;
  at: Date;
  fingerprint?: string;
}

/** ingest_runs: a run whose events are all published — or that gave them up (it failed). */
interface RunDoc {
  _id: string;
  at: Date;
  events: number;
  abandoned?: true;
}

const POLL_MS = 200;

/** The window's value: the customer, after the fingerprint and a space for a business key (customerIds hold no space). */
function encodeDone(done: DoneClaim): string {
  return done.fingerprint ? `${done.fingerprint} ${done.customerId ?? ''}` : (done.customerId ?? '');
}

function decodeDone(value: string): DoneClaim {
  const space = value.indexOf(' ');
  const customerId = (space < 0 ? value : value.slice(space + 1)) || undefined;
  return space < 0 ? { customerId } : { customerId, fingerprint: value.slice(0, space) };
}

/**
 * De-duplication by eventId (issue 3) and by business key (issue 9: a transaction or an
 * interaction re-sent under a new eventId): a fast Redis window of done claims (with their
 * customer, and a business key's fingerprint), and a durable guard in MongoDB that costs one
 * bulk insert per batch on both MongoDB and FerretDB: every eventId and business key is
 * claimed in `ingest_events` (`_id` = the claim) with the batch's runId, and one
 * `ingest_runs` document records the run done once its events are published. Only a claim
 * that was already made (rare: a replay past the window, a retry, a re-export, or the same
 * event arriving twice at once) is read back:
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
  begin(claims: readonly DedupClaim[], at: Date, heartbeat?: () => Promise<void>): Promise<DedupRun> {
    // Ordered by start time on every instance: the younger of two runs that need each other's claims gives way.
    return this.attempt(claims, at, heartbeat, `${this.clock.now().getTime().toString(36).padStart(9, '0')}-${randomUUID()}`, 1);
  }

  /**
   * One attempt of a run. A run that gave way starts again under its first attempt's id and
   * a suffix, so it keeps its age (wait-die): it grows older than every run it meets, and is
   * never made to give way for ever by runs that started after it.
   */
  private async attempt(claims: readonly DedupClaim[], at: Date, heartbeat: (() => Promise<void>) | undefined, firstId: string, attempt: number): Promise<DedupRun> {
    const runId = attempt === 1 ? firstId : `${firstId}.${attempt}`;
    const run: DedupRun = { runId, done: new Map(), retried: [], held: new Set(), stampedAt: at.getTime() };
    if (!claims.length) return run;
    this.active.add(run.runId);
    const fingerprintOf = new Map(claims.map((c) => [c.id, c.fingerprint]));
    const stamp = (id: string, runId: string, when: Date): EventDoc => {
      const fingerprint = fingerprintOf.get(id);
      return { _id: id, runId, at: when, ...(fingerprint ? { fingerprint } : {}) };
    };
    try {
      const values = await this.redis.mget(claims.map((c) => this.prefix + c.id));
      const unknown: string[] = [];
      claims.forEach(({ id }, i) => {
        const value = values[i];
        if (value !== null) run.done.set(id, decodeDone(value));
        else unknown.push(id);
      });
      const existing = await insertNew(this.events, unknown.map((id) => stamp(id, run.runId, at)));
      unknown.forEach((id, i) => existing.has(i) || run.held.add(id));
      let contested = [...existing].map((i) => unknown[i]);
      const rewarm = new Map<string, DoneClaim>();
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
            const done = doc.fingerprint ? { fingerprint: doc.fingerprint } : {};
            run.done.set(id, done);
            rewarm.set(id, done);
          } else if (doc && !holder && (this.active.has(doc.runId) || this.clock.now().getTime() - new Date(doc.at).getTime() < this.config.INGEST_RUN_LEASE_SECONDS * 1_000)) {
            waiting.push(id); // another run is at work on it
            holders.add(doc.runId);
          } else if (await this.takeOver(doc, stamp(id, run.runId, this.clock.now()))) {
            run.retried.push(id);
            run.held.add(id);
          } else {
            waiting.push(id); // someone else took it over first
          }
        }
        if (!waiting.length) break;
        // Two runs holding what the other needs (the same events, or business keys, in another
        // order; in this process or two): wait-die — the younger gives its claims up and starts
        // again, so the older takes them over and goes on.
        if (attempt < 5 && [...holders].some((h) => h < run.runId)) {
          await this.abandon(run);
          await sleep(POLL_MS);
          return this.attempt(claims, at, heartbeat, firstId, attempt + 1);
        }
        // A run of this process that never lets go would hold us for ever: fail, and be retried.
        if (this.clock.now().getTime() > giveUpAt) throw new Error(`eventId ${waiting[0]} is still held by a run at work after ${2 * this.config.INGEST_RUN_LEASE_SECONDS} s`);
        await sleep(POLL_MS);
        await heartbeat?.();
        // What it holds stays stamped while it waits, or another instance would take it over as crashed.
        await this.keepAlive(run);
        // Finished meanwhile? The window knows it first (with the customer).
        const now = await this.redis.mget(waiting.map((id) => this.prefix + id));
        contested = waiting.filter((id, i) => {
          const value = now[i];
          if (value === null) return true;
          run.done.set(id, decodeDone(value));
          return false;
        });
      }
      // Waited long: the claims are stamped again, or another process would take this run for crashed.
      await this.keepAlive(run);
      // Re-warm the window with what only the durable record knew (the customer is not kept there).
      if (rewarm.size) await this.remember(rewarm);
      return run;
    } catch (error) {
      await this.abandon(run);
      throw error;
    }
  }

  /** Claims what a run that failed or crashed held (a missing claim is claimed afresh), with this run's content. */
  private async takeOver(doc: EventDoc | null, mine: EventDoc): Promise<boolean> {
    if (!doc) return (await insertNew(this.events, [mine])).size === 0;
    const { _id, ...claim } = mine;
    return (await this.events.replaceOne({ _id, runId: doc.runId }, claim)).matchedCount === 1;
  }

  async keepAlive(run: DedupRun): Promise<void> {
    const now = this.clock.now();
    if (now.getTime() - (run.stampedAt ?? now.getTime()) <= (this.config.INGEST_RUN_LEASE_SECONDS * 1_000) / 3) return;
    await mapLimit([...run.held], 16, (id) => this.events.updateOne({ _id: id, runId: run.runId }, { $set: { at: now } }));
    run.stampedAt = now.getTime();
  }

  /**
   * Claims of records the run will not take on after all (a business-key conflict): deleted
   * by `_id`, so a later delivery of the same eventId is judged again, not answered duplicate.
   */
  async release(run: DedupRun, ids: readonly string[]): Promise<void> {
    const mine = ids.filter((id) => run.held.delete(id));
    await mapLimit(mine, 16, (id) => this.events.deleteOne({ _id: id, runId: run.runId }));
  }

  /**
   * After publishing: the run is done (also when it published nothing but holds claims — a
   * business key taken with a record already published under its eventId); Redis remembers
   * each published claim's customer (and fingerprint) for the window.
   */
  async finish(run: DedupRun, accepted: ReadonlyMap<string, DoneClaim>, at: Date): Promise<void> {
    if (accepted.size || run.held.size) await this.runs.insertOne({ _id: run.runId, at, events: run.held.size });
    if (accepted.size) await this.remember(accepted);
    this.active.delete(run.runId);
  }

  /**
   * The run failed before it finished: its claims are given up at once, so its retry (or a
   * concurrent delivery) takes them over instead of waiting for the lease. Best effort — if
   * the database is what failed, the lease frees them.
   */
  async abandon(run: DedupRun): Promise<void> {
    this.active.delete(run.runId);
    await this.runs.insertOne({ _id: run.runId, at: this.clock.now(), events: 0, abandoned: true }).catch(() => undefined);
  }

  /** Retention: forgets the claims and runs older than `before`; answers how many of each. */
  async sweep(before: Date): Promise<{ events: number; runs: number }> {
    const events = (await this.events.deleteMany({ at: { $lt: before } })).deletedCount;
    // A run is done after its claims were made: deleting by the same date never leaves a claim without its run.
    const runs = (await this.runs.deleteMany({ at: { $lt: before } })).deletedCount;
    return { events, runs };
  }

  private async remember(done: ReadonlyMap<string, DoneClaim>): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const [id, claim] of done) pipeline.set(this.prefix + id, encodeDone(claim), 'EX', this.config.INGEST_DEDUP_WINDOW_SECONDS);
    await pipeline.exec();
  }
}

import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { EventPublisher } from '@meridian/events/kafka';
import { KeyedMutex } from '@meridian/shared';
import { nextDueAt } from '../domain/next-due';
import { segmentEffects } from '../domain/segment-effects';
import { EvaluationRules } from '../domain/segment-state';
import { DerivedDataGate, DerivedDataMissing } from './ports/derived-data.port';
import { DueIndex } from './ports/due-index.port';
import { SegmentAnalytics } from './ports/segment-analytics.port';
import { SegmentStateDoc, SegmentStateStore } from './ports/segment-state-store.port';
import { SettledWrites } from './ports/settled-writes.port';
import { Announcement, OutboxEntry, onSegmentTopic, outboxEvents } from './segment-announcements';

/** Attempts after a lost race, waiting 100 ms, 200 ms, … at most 2 s between: longer in all than a lapsing claim (10 s). */
const MAX_WRITE_ATTEMPTS = 10;

/** What a decision makes of a customer's document: the next one (none: nothing new) and the announcements it adds. */
export interface Decided {
  next?: SegmentStateDoc;
  fresh: Announcement[];
}

/** One customer to write: the document as loaded (StateWrites.load), and how to decide from any version of it. */
export interface WriteRequest {
  customerId: string;
  loaded: SegmentStateDoc | undefined;
  decide: (doc: SegmentStateDoc | undefined) => Decided;
}

/** One customer's write, waiting to be settled with the rest of its run. */
export interface Written {
  customerId: string;
  /** A stored outbox not yet sent (a crash came between a write and its publish), then what this write decided. */
  announce: OutboxEntry[];
  /** The document as it stands after the write (or as found, when nothing was new). */
  doc?: SegmentStateDoc;
  /** Whether a new document was written (false: the decision, on the newest document, changed nothing). */
  wrote: boolean;
}

const active = (d?: SegmentStateDoc) => (d?.status === 'ACTIVE' ? d : undefined);

/**
 * How segmentation changes a customer (STYLE.md rule 12), whether a ProfileUpdated or the
 * sweep caused it: decide from the stored document, write it with its events in its outbox
 * and its effects on the aggregates (a run's writes in one round trip; a customer whose
 * write lost to another writer decided again from the database), and, for a whole run,
 * publish, set the due index, apply the effects (once each, by key), and only then mark the
 * writes settled — a crash anywhere before leaves them to be done when the cause comes
 * again, and the decision, made again on the same inputs, changes nothing.
 */
@Injectable()
export class StateWrites {
  constructor(
    private readonly states: SegmentStateStore,
    private readonly dueIndex: DueIndex,
    private readonly analytics: SegmentAnalytics,
    private readonly settled: SettledWrites,
    private readonly publisher: EventPublisher,
    private readonly locks: KeyedMutex,
    private readonly derived: DerivedDataGate,
  ) {}

  /** By `_id`; a document's outbox and effects are left out once settled (what is left in them is pending work). */
  async load(customerIds: readonly string[]): Promise<Map<string, SegmentStateDoc>> {
    const [docs, settled] = await Promise.all([this.states.load(customerIds), this.settled.settledRevs(customerIds)]);
    for (const doc of docs.values()) if (doc.rev <= (settled.get(doc._id) ?? 0)) Object.assign(doc, { outbox: [], effects: [] });
    return docs;
  }

  /** Decides and writes many customers at once (one writer per customer in this process: the locks). */
  writeAll(requests: readonly WriteRequest[]): Promise<Written[]> {
    return this.locks.run(
      requests.map((r) => r.customerId),
      async () => {
        const attempts = requests.map((r) => ({ r, next: this.prepare(r.customerId, r.loaded, r.decide) }));
        const failed = await this.states.saveAll(attempts.filter((a) => a.next.doc).map((a) => ({ doc: a.next.doc as SegmentStateDoc, previousRev: a.r.loaded?.rev })));
        const written: Written[] = [];
        for (const { r, next } of attempts) written.push(failed.has(r.customerId) ? await this.retry(r) : next.written);
        return written;
      },
    );
  }

  /** The next document with its effects and a fresh write id, and what the write announces if it stands. */
  private prepare(customerId: string, doc: SegmentStateDoc | undefined, decide: WriteRequest['decide']): { doc?: SegmentStateDoc; written: Written } {
    const { next: decided, fresh } = decide(doc);
    const pending = doc?.outbox ?? [];
    if (!decided) return { written: { customerId, announce: pending, doc, wrote: false } };
    // What the write does to the counters and the membership index goes with it, applied at settle.
    const next: SegmentStateDoc = { ...decided, writeId: randomUUID(), effects: [...(doc?.effects ?? []), segmentEffects(`${customerId}:${decided.rev}`, active(doc), active(decided))] };
    return { doc: next, written: { customerId, announce: [...pending, ...fresh], doc: next, wrote: true } };
  }

  /** Lost a race: decided again from the database, until the write stands. */
  private async retry(request: WriteRequest): Promise<Written> {
    for (let attempt = 2; ; attempt++) {
      await sleep(Math.min(2_000, 50 * 2 ** (attempt - 1)));
      const fresh = await this.states.loadFresh(request.customerId);
      const settled = (await this.settled.settledRevs([request.customerId])).get(request.customerId) ?? 0;
      const doc = fresh && fresh.rev <= settled ? { ...fresh, outbox: [], effects: [] } : fresh;
      const next = this.prepare(request.customerId, doc, request.decide);
      if (!next.doc || !(await this.states.saveAll([{ doc: next.doc, previousRev: doc?.rev }])).size) return next.written;
      if (attempt >= MAX_WRITE_ATTEMPTS) throw new Error(`segment state ${request.customerId}: ${attempt} concurrent writes in a row`);
    }
  }

  /**
   * Publishes a run's announcements, applies the counters and membership moves (once each),
   * sets its customers' due instants, then marks the writes settled. Without the derived data
   * (Redis lost it) the due index and counters refuse: DerivedDataMissing is thrown, the writes
   * stay unsettled (their effects pending in the documents, applied after the rebuild when they
   * are settled again), and the gate is told at once.
   */
  async settle(written: readonly Written[], numbers: EvaluationRules): Promise<number> {
    const announce = outboxEvents(written.flatMap((w) => w.announce));
    await this.publisher.publishAll(onSegmentTopic(announce));
    try {
      // The effects before the due index: a sweep's write is caused again only while its customer
      // is due, so a crash after moving the due instant and before the effects would strand them.
      await this.analytics.apply(written.flatMap((w) => w.doc?.effects ?? []));
      // A tombstone, or a customer the index knew and the store does not, is due no more.
      await this.dueIndex.schedule(written.map((w) => ({ customerId: w.customerId, rev: w.doc?.rev ?? 0, dueAt: w.doc?.status === 'ACTIVE' ? nextDueAt(w.doc, numbers) : undefined })));
    } catch (error) {
      if (error instanceof DerivedDataMissing) this.derived.lost();
      throw error;
    }
    const done = written.filter((w) => w.doc?.outbox.length || w.doc?.effects?.length);
    await this.settled.markSettled(done.map((w) => ({ customerId: w.customerId, rev: (w.doc as SegmentStateDoc).rev })));
    return announce.length;
  }
}

import { Injectable } from '@nestjs/common';
import type { EnvelopeInit } from '@meridian/events';
import { EventPublisher } from '@meridian/events/kafka';
import { KeyedMutex } from '@meridian/shared';
import { nextDueAt } from '../domain/next-due';
import { segmentEffects } from '../domain/segment-effects';
import { EvaluationRules } from '../domain/segment-state';
import { DueIndex } from './ports/due-index.port';
import { SegmentAnalytics } from './ports/segment-analytics.port';
import { SegmentStateDoc, SegmentStateStore } from './ports/segment-state-store.port';
import { onSegmentTopic } from './segment-announcements';

const MAX_WRITE_ATTEMPTS = 6;

/** What a decision makes of a customer's document: the next one (none: nothing new) and the events it adds. */
export interface Decided {
  next?: SegmentStateDoc;
  fresh: EnvelopeInit[];
}

/** One customer's write, waiting to be settled with the rest of its run. */
export interface Written {
  customerId: string;
  /** A stored outbox not yet sent (a crash came between a write and its publish), then what this write decided. */
  announce: EnvelopeInit[];
  /** The document as it stands after the write (or as found, when nothing was new). */
  doc?: SegmentStateDoc;
}

/**
 * How segmentation changes a customer (STYLE.md rule 12), whether a ProfileUpdated or the
 * sweep caused it: decide from the stored document, write it with its events in its outbox
 * and its effects on the aggregates (retrying from the database when another writer came
 * first), and, for a whole run, publish, set the due index, apply the effects (once each,
 * by key), and only then clear them — a crash anywhere before leaves them to be done when
 * the cause comes again, and the decision, made again on the same inputs, changes nothing.
 */
@Injectable()
export class StateWrites {
  constructor(
    private readonly states: SegmentStateStore,
    private readonly dueIndex: DueIndex,
    private readonly analytics: SegmentAnalytics,
    private readonly publisher: EventPublisher,
    private readonly locks: KeyedMutex,
  ) {}

  load(customerIds: readonly string[]): Promise<Map<string, SegmentStateDoc>> {
    return this.states.load(customerIds);
  }

  /** Decides and writes one customer (one writer per customer in this process). */
  write(customerId: string, loaded: SegmentStateDoc | undefined, decide: (doc: SegmentStateDoc | undefined) => Decided): Promise<Written> {
    return this.locks.run(customerId, async () => {
      let doc = loaded;
      for (let attempt = 1; ; attempt++) {
        const { next: decided, fresh } = decide(doc);
        const pending = doc?.outbox ?? [];
        if (!decided) return { customerId, announce: pending, doc };
        // What the write does to the counters and the membership index goes with it, applied at settle.
        const active = (d?: SegmentStateDoc) => (d?.status === 'ACTIVE' ? d : undefined);
        const next: SegmentStateDoc = { ...decided, effects: [...(doc?.effects ?? []), segmentEffects(`${customerId}:${decided.rev}`, active(doc), active(decided))] };
        if (await this.states.save(next, doc?.rev)) return { customerId, announce: [...pending, ...fresh], doc: next };
        if (attempt >= MAX_WRITE_ATTEMPTS) throw new Error(`segment state ${customerId}: ${attempt} concurrent writes in a row`);
        doc = (await this.states.load([customerId])).get(customerId);
      }
    });
  }

  /** Publishes a run's announcements, sets its customers' due instants, applies the counters and membership moves (once each), then clears what was done. */
  async settle(written: readonly Written[], numbers: EvaluationRules): Promise<number> {
    const announce = written.flatMap((w) => w.announce);
    await this.publisher.publishAll(onSegmentTopic(announce));
    // A tombstone, or a customer the index knew and the store does not, is due no more.
    await this.dueIndex.schedule(written.map((w) => ({ customerId: w.customerId, dueAt: w.doc?.status === 'ACTIVE' ? nextDueAt(w.doc, numbers) : undefined })));
    await this.analytics.apply(written.flatMap((w) => w.doc?.effects ?? []));
    const done = written.filter((w) => w.doc?.outbox.length || w.doc?.effects?.length);
    await this.states.clearOutboxes(done.map((w) => ({ _id: w.customerId, rev: (w.doc as SegmentStateDoc).rev })));
    return announce.length;
  }
}

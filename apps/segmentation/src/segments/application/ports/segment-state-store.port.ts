import { SegmentEffects } from '../../domain/segment-effects';
import { CustomerSegmentState } from '../../domain/segment-state';
import { OutboxEntry } from '../segment-announcements';

/**
 * segment_states: one document per customer (`_id` = customerId). An ACTIVE one holds the
 * state segmentation keeps (its `facts` are what a segment rule queries as `facts.<path>`);
 * a MERGED or ERASED one is a tombstone that keeps only the profile version it stands for,
 * so a stale redelivery cannot bring the customer back.
 */
export type SegmentStateDoc = {
  _id: string;
  rev: number;
  /** Drawn for each write: after a batch that lost a race somewhere, tells whose write a stored document is. */
  writeId?: string;
  /** What this write and any unsettled one before it decided to announce (the embedded outbox): pending until the write is settled (SettledWrites). */
  outbox: OutboxEntry[];
  /** The counter and membership-index changes of the writes not settled yet: applied once each (by key). */
  effects?: SegmentEffects[];
} & (
  | ({ status: 'ACTIVE' } & CustomerSegmentState)
  | { status: 'MERGED' | 'ERASED'; profileVersion: number; asOf: string; memberships: [] }
);

/** A write: the document, and the `rev` it replaces (undefined: a new document). */
export interface StateSave {
  doc: SegmentStateDoc;
  previousRev: number | undefined;
}

/** Segment state documents (STYLE.md rule 3: the port; `SegmentStateRepository` is the MongoDB adapter, with a Redis read-through cache). */
export abstract class SegmentStateStore {
  /** By `_id`, through the cache: fine to decide on, as every write checks `rev`. */
  abstract load(customerIds: readonly string[]): Promise<Map<string, SegmentStateDoc>>;
  /** Straight from the database: what a retry after a lost race reads. */
  abstract loadFresh(customerId: string): Promise<SegmentStateDoc | undefined>;
  /** Writes each document if its stored `rev` is still `previousRev`; answers the customers whose write lost to another writer. */
  abstract saveAll(saves: readonly StateSave[]): Promise<Set<string>>;
  /**
   * The one full read (a segment's back-fill): every document after `after` (exclusive), in
   * `_id` order, `batch` at a time — one cursor, so the collection is scanned once per run.
   */
  abstract scan(after: string | undefined, batch: number): AsyncIterable<SegmentStateDoc[]>;
  /**
   * As scan, the customer ids alone (a pass that loads what it decides on through StateWrites
   * anyway — a back-fill, the RFM re-scoring — need not hold a page of stored documents with
   * their outboxes beside it).
   */
  abstract scanIds(after: string | undefined, batch: number): AsyncIterable<string[]>;
}

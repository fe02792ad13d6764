import type { EnvelopeInit } from '@meridian/events';
import { SegmentEffects } from '../../domain/segment-effects';
import { CustomerSegmentState } from '../../domain/segment-state';

/**
 * segment_states: one document per customer (`_id` = customerId). An ACTIVE one holds the
 * state segmentation keeps (its `facts` are what a segment rule queries as `facts.<path>`);
 * a MERGED or ERASED one is a tombstone that keeps only the profile version it stands for,
 * so a stale redelivery cannot bring the customer back.
 */
export type SegmentStateDoc = {
  _id: string;
  rev: number;
  /** Events decided with this write and not known to be published yet (the embedded outbox): empty once sent. */
  outbox: EnvelopeInit[];
  /** The counter and membership-index changes of writes not known to be applied yet: applied once each (by key), then cleared with the outbox. */
  effects?: SegmentEffects[];
} & (
  | ({ status: 'ACTIVE' } & CustomerSegmentState)
  | { status: 'MERGED' | 'ERASED'; profileVersion: number; asOf: string; memberships: [] }
);

/** Segment state documents (STYLE.md rule 3: the port; `SegmentStateRepository` is the MongoDB adapter). */
export abstract class SegmentStateStore {
  /** By `_id`, straight from the database. */
  abstract load(customerIds: readonly string[]): Promise<Map<string, SegmentStateDoc>>;
  /** Writes if the stored `rev` is still `previousRev` (undefined: a new document); false when another writer came first. */
  abstract save(doc: SegmentStateDoc, previousRev: number | undefined): Promise<boolean>;
  /**
   * The one full read (a segment's back-fill): every document after `after` (exclusive), in
   * `_id` order, `batch` at a time — one cursor, so the collection is scanned once per run.
   */
  abstract scan(after: string | undefined, batch: number): AsyncIterable<SegmentStateDoc[]>;
  /** After publishing and applying: the outboxes and effects of these documents are done (cleared while the document is still at that `rev`). */
  abstract clearOutboxes(sent: ReadonlyArray<{ _id: string; rev: number }>): Promise<void>;
}

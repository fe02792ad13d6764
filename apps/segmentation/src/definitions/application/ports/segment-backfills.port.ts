export const BACKFILL_STATES = ['RUNNING', 'DONE'] as const;
export type BackfillState = (typeof BACKFILL_STATES)[number];

/**
 * segment_backfills: one document per segment (`_id` = its id): the back-fill of its latest
 * version — the checkpoint a killed one resumes from (`lastId`, the last customer done) and
 * its progress. A newer version starts it again from the first customer.
 */
export interface SegmentBackfillDoc {
  _id: string;
  version: number;
  state: BackfillState;
  lastId?: string;
  /** Customers read, and how many entered and left the segment, so far. */
  read: number;
  entered: number;
  exited: number;
  startedAt: string;
  finishedAt?: string;
}

export interface BackfillProgress {
  read: number;
  entered: number;
  exited: number;
}

/** Back-fill checkpoints (STYLE.md rule 3: the port; `SegmentBackfillRepository` is the MongoDB adapter). */
export abstract class SegmentBackfills {
  abstract get(segmentId: string): Promise<SegmentBackfillDoc | undefined>;
  /** Every segment's (one each: few, read whole). */
  abstract all(): Promise<SegmentBackfillDoc[]>;
  /** The back-fill of this version, begun now unless it (or a later one) already was. */
  abstract begin(segmentId: string, version: number, startedAt: string): Promise<SegmentBackfillDoc>;
  /** A step done up to `lastId`; false when the back-fill is no longer this version's (an edit came). */
  abstract checkpoint(segmentId: string, version: number, lastId: string, added: BackfillProgress): Promise<boolean>;
  abstract finish(segmentId: string, version: number, finishedAt: string): Promise<boolean>;
}

/** One back-fill per segment at a time across instances: a lease per segment that lapses if its holder dies. */
export abstract class BackfillLock {
  abstract acquire(segmentId: string): Promise<string | undefined>;
  abstract renew(segmentId: string, token: string): Promise<boolean>;
  abstract release(segmentId: string, token: string): Promise<void>;
}

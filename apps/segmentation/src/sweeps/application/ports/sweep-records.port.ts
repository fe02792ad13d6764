/** segment_sweeps: one document per sweep (`_id` = its instant, ISO), the checkpoint a killed sweep resumes from. */
export interface SweepDoc {
  _id: string;
  asOf: string;
  partitions: number;
  partitionsDone: number[];
  /** Customers read from the due index, re-evaluated (written), and events published, so far. */
  read: number;
  evaluated: number;
  published: number;
  startedAt: string;
  finishedAt?: string;
}

export interface SweepProgress {
  read: number;
  evaluated: number;
  published: number;
}

/** Sweep checkpoints (STYLE.md rule 3: the port; the MongoDB adapter is `SweepRecordRepository`). */
export abstract class SweepRecords {
  /** The sweep of this instant: as recorded, or begun now. */
  abstract begin(asOf: string, partitions: number, startedAt: string): Promise<SweepDoc>;
  abstract get(sweepId: string): Promise<SweepDoc | undefined>;
  /** A partition swept, with what it added. */
  abstract partitionDone(sweepId: string, partition: number, added: SweepProgress): Promise<void>;
  abstract finish(sweepId: string, finishedAt: string): Promise<void>;
  /** Sweeps begun and never finished (a crash): the collection holds one document a day, so reading it whole is cheap. */
  abstract unfinished(): Promise<SweepDoc[]>;
}

import { RfmCalibration } from '../../../segments/application/ports/rfm-calibrations.port';

/**
 * What a sweep did to RFM in the quantile mode: the base measured and the breakpoints it
 * gave, and — when they moved — the pass that re-scored every customer whose score they
 * change, checkpointed by customer so a killed sweep resumes it.
 */
export interface SweepRfmStep {
  breakpoints: RfmCalibration['breakpoints'];
  /** They differ from those in force before: the base is re-scored. */
  moved: boolean;
  measured: RfmCalibration['measured'];
  documentsRead: number;
  /** The re-scoring pass: the last customer done, customers read, re-scored (written), events published. */
  rescoredThrough?: string;
  read: number;
  rescored: number;
  published: number;
  done: boolean;
}

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
  /** The quantile mode's recalibration (absent in the fixed mode, and until measured). */
  rfm?: SweepRfmStep;
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
  /** The recalibration's measurement, recorded once per sweep (a resumed sweep keeps the first). */
  abstract rfmMeasured(sweepId: string, step: SweepRfmStep): Promise<SweepRfmStep>;
  /** A step of the re-scoring pass done, through `lastId`; `done` when the base is. */
  abstract rfmRescored(sweepId: string, lastId: string | undefined, added: Pick<SweepRfmStep, 'read' | 'rescored' | 'published'>, done: boolean): Promise<void>;
  /** Sweeps begun and never finished (a crash): the collection holds one document a day, so reading it whole is cheap. */
  abstract unfinished(): Promise<SweepDoc[]>;
}

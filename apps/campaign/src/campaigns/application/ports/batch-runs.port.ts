/** A scheduled campaign's batch run (issue 12, point 8), as `GET /v1/campaigns/{id}/batch` shows it. */
export interface BatchRun {
  campaignId: string;
  /** The instant the run decides at (the trigger's `at`). */
  runAt: string;
  partitions: number;
  partitionsDone: number;
  /** Customers read from the base, and what their decisions were (a partition run again after a crash counts again here; the stats count each decision once). */
  read: number;
  sent: number;
  suppressed: number;
  control: number;
  postponed: number;
  startedAt: string;
  finishedAt?: string;
}

export type BatchTally = Pick<BatchRun, 'read' | 'sent' | 'suppressed' | 'control' | 'postponed'>;

/** Each campaign's batch run and its checkpoint: the partitions done. */
export abstract class BatchRuns {
  /** The campaign's run at `runAt`, begun now if it was not (a run at another instant is replaced). */
  abstract begin(campaignId: string, runAt: string, partitions: number, now: string): Promise<BatchRun & { done: ReadonlySet<number> }>;
  /** false: the campaign's run is another's now (re-scheduled): nothing written. */
  abstract partitionDone(campaignId: string, runAt: string, partition: number, tally: BatchTally): Promise<boolean>;
  abstract finish(campaignId: string, runAt: string, now: string): Promise<boolean>;
  abstract get(campaignId: string): Promise<BatchRun | undefined>;
}

/** Runs to come: one job a campaign and instant, however often it is asked for. */
export abstract class BatchSchedule {
  abstract schedule(campaignId: string, runAt: string): Promise<void>;
}

/** Progress in `/metrics`. */
export abstract class BatchMetrics {
  abstract stepDone(tally: BatchTally): void;
  abstract partitionsDone(campaignId: string, done: number, of: number): void;
}

import type { RewrapCheckpoint } from '../../domain/rewrap-progress';

/** What the re-wrap job records (ADR 0008; STYLE.md rule 3: the port of `RewrapRecordsRepository`). */
export abstract class RewrapRecords {
  /** The checkpoint of the latest run under `target`, if any. */
  abstract checkpoint(target: string): Promise<RewrapCheckpoint | undefined>;
  abstract save(checkpoint: RewrapCheckpoint): Promise<void>;
  /** The master key ids the data's key record says may still wrap data keys. */
  abstract stillWrapping(): Promise<string[]>;
  /** When the rotation to the current key began (undefined: no rotation recorded). */
  abstract rotationBeganAt(): Promise<Date | undefined>;
  /** A run under `target` walked every data key: the keys it replaced are no longer needed at start. */
  abstract retire(target: string, at: Date): Promise<void>;
}

/** Starts the re-wrap job (STYLE.md rule 3: the port of `MasterKeyRewrapJob`): once across instances. */
export abstract class RewrapRuns {
  /** Queues a run unless one is queued or running already; answers its run id and whether it was new. */
  abstract request(): Promise<{ runId: string; started: boolean }>;
}

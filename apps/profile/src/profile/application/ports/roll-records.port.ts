import type { SweepCheckpoint } from '@meridian/shared';

/** What a day roll counts: customers read from the due index, profiles it changed (written), ProfileUpdated published. */
export type RollProgress = { read: number; rolled: number; published: number };

/** profile_rolls: one document per day roll (`_id` = its instant, ISO), the checkpoint a killed roll resumes from. */
export type RollDoc = SweepCheckpoint<RollProgress>;

/** Day roll checkpoints (STYLE.md rule 3: the port; the MongoDB adapter is `RollRecordRepository`). */
export abstract class RollRecords {
  /** The roll of this instant: as recorded, or begun now. */
  abstract begin(asOf: string, partitions: number, startedAt: string): Promise<RollDoc>;
  abstract get(rollId: string): Promise<RollDoc | undefined>;
  abstract partitionDone(rollId: string, partition: number, added: RollProgress): Promise<void>;
  abstract finish(rollId: string, finishedAt: string): Promise<void>;
  /** Rolls begun and never finished (a crash), oldest first. */
  abstract unfinished(): Promise<RollDoc[]>;
}

/** One roll at a time across instances: a lease that lapses if its holder dies (`RedisRollLock`). */
export abstract class RollLock {
  abstract acquire(): Promise<string | undefined>;
  abstract renew(token: string): Promise<boolean>;
  abstract release(token: string): Promise<void>;
}

/** What a roll shows on /metrics as it goes (`PrometheusRollMetrics`). */
export abstract class RollMetrics {
  abstract stepDone(added: RollProgress): void;
  abstract partitionsDone(done: number, of: number): void;
}

/** profile_rolls: one document per day roll (`_id` = its instant, ISO), the checkpoint a killed roll resumes from. */
export interface RollDoc {
  _id: string;
  asOf: string;
  partitions: number;
  partitionsDone: number[];
  /** Customers read from the due index, profiles the roll changed (written), and ProfileUpdated published, so far. */
  read: number;
  rolled: number;
  published: number;
  startedAt: string;
  finishedAt?: string;
}

export interface RollProgress {
  read: number;
  rolled: number;
  published: number;
}

/** Day roll checkpoints (STYLE.md rule 3: the port; the MongoDB adapter is `RollRecordRepository`). */
export abstract class RollRecords {
  /** The roll of this instant: as recorded, or begun now. */
  abstract begin(asOf: string, partitions: number, startedAt: string): Promise<RollDoc>;
  abstract get(rollId: string): Promise<RollDoc | undefined>;
  /** A partition rolled, with what it added. */
  abstract partitionDone(rollId: string, partition: number, added: RollProgress): Promise<void>;
  abstract finish(rollId: string, finishedAt: string): Promise<void>;
  /** Rolls begun and never finished (a crash), oldest first: one document a day, so reading the collection whole is cheap. */
  abstract unfinished(): Promise<RollDoc[]>;
}

/** One roll at a time across instances: a lease that lapses if its holder dies. */
export abstract class RollLock {
  /** A token when taken, undefined when another holds it. */
  abstract acquire(): Promise<string | undefined>;
  /** Extends the lease; false when it was lost (lapsed and taken by another). */
  abstract renew(token: string): Promise<boolean>;
  abstract release(token: string): Promise<void>;
}

/** What a roll shows on /metrics as it goes. */
export abstract class RollMetrics {
  abstract stepDone(added: RollProgress): void;
  abstract partitionsDone(done: number, of: number): void;
}

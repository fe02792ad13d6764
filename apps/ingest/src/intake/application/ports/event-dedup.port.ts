/** One batch's de-duplication: which of its eventIds are new, and how to record them done. */
export interface DedupRun {
  runId: string;
  /** eventId → customerId (when known) of those done before. */
  done: Map<string, string | undefined>;
  /** eventIds taken over from a run that failed or crashed before publishing: they go again. */
  retried: string[];
}

/**
 * De-duplication by eventId as the intake pipeline sees it (STYLE.md rule 3: a port, bound
 * in app.module.ts to infrastructure/dedup.store.ts): which eventIds of a batch are new,
 * and the batch recorded done — or given up, so a retry takes its events over at once.
 */
export abstract class EventDedup {
  /** `heartbeat` is called while waiting for another run (a Kafka consumer stays in its group). */
  abstract begin(eventIds: readonly string[], at: Date, heartbeat?: () => Promise<void>): Promise<DedupRun>;
  /** After publishing: the run is done; `accepted` maps each eventId to its customer. */
  abstract finish(run: DedupRun, accepted: ReadonlyMap<string, string>, at: Date): Promise<void>;
  /** The run failed before it finished: its claims are given up. */
  abstract abandon(run: DedupRun): Promise<void>;
  /** Retention: forgets what is older than `before`; answers how many eventIds and runs. */
  abstract sweep(before: Date): Promise<{ events: number; runs: number }>;
}

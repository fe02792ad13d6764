/**
 * What a batch claims: an eventId, or a business key (`intake/domain/business-key.ts`) with
 * the fingerprint of the content it was first taken on with.
 */
export interface DedupClaim {
  id: string;
  fingerprint?: string;
}

/** A claim done before: the customer when known, and for a business key its fingerprint. */
export interface DoneClaim {
  customerId?: string;
  fingerprint?: string;
}

/** One batch's de-duplication: which of its claims are new, and how to record them done. */
export interface DedupRun {
  runId: string;
  /** Claim id → what is known of it, for those done before. */
  done: Map<string, DoneClaim>;
  /** Claim ids taken over from a run that failed or crashed before publishing: they go again. */
  retried: string[];
  /** Claim ids this run holds (claimed afresh or taken over) until it finishes or gives up. */
  held: Set<string>;
  /** When its claims were last stamped (ms): others take them for a crashed run's a lease after it. */
  stampedAt?: number;
}

/**
 * De-duplication by eventId and by business key as the intake pipeline sees it (STYLE.md
 * rule 3: a port, bound in app.module.ts to infrastructure/dedup.store.ts): which claims of
 * a batch are new, and the batch recorded done — or given up, so a retry takes its claims
 * over at once.
 */
export abstract class EventDedup {
  /** `heartbeat` is called while waiting for another run (a Kafka consumer stays in its group). */
  abstract begin(claims: readonly DedupClaim[], at: Date, heartbeat?: () => Promise<void>): Promise<DedupRun>;
  /** Gives back claims this run made for records it will not take on (rejected after claiming). */
  abstract release(run: DedupRun, ids: readonly string[]): Promise<void>;
  /** While the run waits on something else (identity resolution): stamps its claims again when a third of the lease has gone by. */
  abstract keepAlive(run: DedupRun): Promise<void>;
  /** After publishing: the run is done; `accepted` maps each published claim to its customer (and fingerprint). */
  abstract finish(run: DedupRun, accepted: ReadonlyMap<string, DoneClaim>, at: Date): Promise<void>;
  /** The run failed before it finished: its claims are given up. */
  abstract abandon(run: DedupRun): Promise<void>;
  /** Retention: forgets what is older than `before`; answers how many claims and runs. */
  abstract sweep(before: Date): Promise<{ events: number; runs: number }>;
}

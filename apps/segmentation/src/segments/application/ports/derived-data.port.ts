import { DerivedContribution } from '../../domain/derived-contribution';

/** A write to the Redis aggregates or due index refused: the data derived from segment_states is not built (Redis lost it). */
export class DerivedDataMissing extends Error {
  constructor() {
    super('the data derived from segment_states is not built (Redis lost it?): its rebuild comes first');
  }
}

/** One rebuild's fresh keys, filled a step at a time, swapped in whole at the end. */
export interface DerivedDataBuild {
  add(contributions: readonly DerivedContribution[]): Promise<void>;
  /**
   * Swaps the fresh counters, member sets, applied revs and due index in for the live ones and
   * sets the marker, in one atomic step; false (and nothing swapped) when another instance's
   * build came first, the lease was lost, or the fresh keys were wiped meanwhile.
   */
  commit(counters: Record<string, number>, marker: string): Promise<boolean>;
}

/**
 * What is derived from segment_states and kept only in Redis (counters, member sets, applied
 * revs, due index), and the marker that says it is built (ADR 0009). Writes to it (the
 * analytics and due-index adapters) are refused while the marker is missing.
 */
export abstract class DerivedDataStore {
  /** The marker as stored (when and by whom the data was built); undefined when it is missing. */
  abstract marker(): Promise<string | undefined>;
  /** Fresh keys for a rebuild under the lease `leaseToken` holds (a crashed rebuild's leftovers deleted first); its commit swaps only while that lease is still held. */
  abstract begin(leaseToken: string): Promise<DerivedDataBuild>;
  /** One rebuild at a time across instances: a lease that lapses if its holder dies. */
  abstract acquire(): Promise<string | undefined>;
  abstract renew(token: string): Promise<boolean>;
  abstract release(token: string): Promise<void>;
}

/** What a rebuild shows on /metrics. */
export abstract class DerivedDataMetrics {
  /** Whether the derived data is known built here (0 while missing or being rebuilt). */
  abstract built(yes: boolean): void;
  /** States read so far by the running (or last) rebuild. */
  abstract progress(states: number): void;
  abstract finished(outcome: 'done' | 'failed' | 'superseded'): void;
}

/**
 * Whether this instance may use the derived data: the stream's consumption is held while it is
 * not built, and the sweep and back-fills wait for it (DerivedDataKeeper).
 */
export abstract class DerivedDataGate {
  /** Resolves with the marker once the data is built (read fresh from Redis), waiting out a rebuild. */
  abstract whenBuilt(): Promise<string>;
  /** A write was refused (DerivedDataMissing): look at the marker now rather than at the next check. */
  abstract lost(): void;

  /** whenBuilt(), renewing a lease the caller holds every `everyMs` meanwhile; throws once the lease lapsed. */
  async whenBuiltKeeping(renew: () => Promise<boolean>, everyMs: number, lease: string): Promise<string> {
    const built = this.whenBuilt();
    built.catch(() => undefined); // awaited below; a failure after the lease lapsed is not left unhandled
    for (;;) {
      const marker = await Promise.race([built, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), everyMs).unref())]);
      if (marker !== undefined) return marker;
      if (!(await renew())) throw new Error(`the ${lease} lapsed while the derived data was rebuilt (another instance holds it now)`);
    }
  }
}

import type { CustomerSegmentState } from '../../../segments/domain/segment-state';

/**
 * The behaviour sample clusters are computed from (issue 10: never every customer per
 * request): at most a few thousand vectors, no customer id, one small document every
 * instance answers from.
 */
export interface ClusterSample {
  /** The feature names, in vector order (cluster-features.ts). */
  features: readonly string[];
  vectors: number[][];
  /** Customers (ACTIVE states) the pass read, of which `vectors` is a uniform sample; documents read in all. */
  customersSeen: number;
  documentsRead: number;
  /** When the pass finished, and how long it took. */
  takenAt: string;
  durationMs: number;
}

/** What the calibration pass reads of a customer's state. */
export type SampledState = Pick<CustomerSegmentState, 'facts'>;

export abstract class ClusterSampleStore {
  abstract load(): Promise<ClusterSample | undefined>;
  /** When the stored sample was taken, without reading its vectors (undefined: none yet). */
  abstract takenAt(): Promise<string | undefined>;
  abstract save(sample: ClusterSample): Promise<void>;
  /**
   * Every ACTIVE customer state, once, through a cursor (the one full read allowed: a
   * calibration pass, never a request); answers the documents read.
   */
  abstract forEachActiveState(visit: (state: SampledState) => void): Promise<number>;
}

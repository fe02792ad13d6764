import { SegmentEffects } from '../../domain/segment-effects';

/**
 * The aggregates kept as changes happen (issue 10: never an aggregation per request, never
 * a scan of memberships): counters by tier, stage, branch, products held by tier, segment
 * sizes; and each segment's members, ordered by customerId, paged by key.
 */
export abstract class SegmentAnalytics {
  /** Applies each write's effects once (by its key), whatever the number of calls. */
  abstract apply(effects: readonly SegmentEffects[]): Promise<void>;
  abstract counters(): Promise<Record<string, number>>;
  /** Up to `limit` members of a segment after `after` (exclusive), in customerId order. */
  abstract members(segmentId: string, after: string | undefined, limit: number): Promise<string[]>;
  abstract size(segmentId: string): Promise<number>;
}

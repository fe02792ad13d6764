import type { ChurnRiskChanged, LifecycleStageChanged, ProfileFeatures, RfmScored, SegmentMembershipChanged, TierChanged } from '@meridian/events';
import { ChurnModel } from './churn-risk';
import { SegmentFacts } from '@meridian/events/rules';
import { SegmentationRules } from './segmentation-rules';
import { TierState } from './value-tier';

/** What segmentation keeps of a customer between two evaluations. */
export interface CustomerSegmentState {
  /** The newest ProfileUpdated version evaluated (the embedded inbox: a lower or equal one is a redelivery). */
  profileVersion: number;
  /** The instant of the last evaluation: the features' asOf, or a sweep's, whichever is later. */
  asOf: string;
  /** The last feature snapshot, re-evaluated when only time passes. */
  features: ProfileFeatures;
  /** The tier and since when AUM is below its threshold (the downgrade grace). */
  tier: TierState;
  /** What the rules read: features, derived facts, and the tags held (the profile's and the catalogue's). */
  facts: SegmentFacts;
  /** Segment ids and `tag:<CODE>` held, sorted. */
  memberships: string[];
}

/** A segment or tag rule, compiled: `id` is a segment definition's id or `tag:<CODE>`. */
export interface CompiledRule {
  id: string;
  matches(facts: SegmentFacts): boolean;
}

/** The rules a customer is evaluated against: the catalogue's tags first (over the profile's tags), then segments (over all tags). */
export interface MembershipRules {
  tags: readonly CompiledRule[];
  segments: readonly CompiledRule[];
}

/** The numbers of an evaluation: the bank's rules, the churn model, and the RFM breakpoints in force (fixed or recalibrated). */
export interface EvaluationRules {
  rules: SegmentationRules;
  churnModel: ChurnModel;
  rfmBreakpoints: Pick<SegmentationRules, 'recencyDays' | 'frequencyCounts' | 'monetaryMinor'>;
}

type Body<T> = Omit<T, 'customerId'>;

/** What an evaluation announces, as data (the application turns it into crm.segment.v1 events). */
export type SegmentChange =
  | { type: 'TierChanged'; payload: Body<TierChanged> }
  | { type: 'LifecycleStageChanged'; payload: Body<LifecycleStageChanged> }
  | { type: 'ChurnRiskChanged'; payload: Body<ChurnRiskChanged> }
  | { type: 'RfmScored'; payload: Body<RfmScored> }
  | { type: 'SegmentMembershipChanged'; payload: Body<SegmentMembershipChanged> };

import type { ChurnRiskBand, LifecycleStage, RfmSegment, Tier } from '../enums';
import type { ProfileFeatures } from '../topics/crm-profile/profile-updated.event';

/** What segmentation derives for a customer: the fields a tag or segment rule may read beside the features. */
export interface DerivedFacts {
  tier: Tier;
  lifecycleStage: LifecycleStage;
  churnScore: number;
  churnBand: ChurnRiskBand;
  rfm: { r: number; f: number; m: number; segment: RfmSegment };
  /** Customer lifetime value, CNY minor units (DOMAIN.md: CLV); absent until it can be computed. */
  clvMinor?: number;
}

/**
 * The document tag and segment rules are evaluated over (ADR 0004's rule language): the
 * ProfileUpdated feature snapshot, what segmentation derived, and `tags` — the tags the
 * profile computed, and (for segment rules) the codes of the catalogue tags the customer
 * holds. Kept as it is in the state collection (`facts`), so the same rule is a query there.
 */
export type SegmentFacts = Omit<ProfileFeatures, 'tags'> & DerivedFacts & { tags: string[] };

import type { DerivedFacts, FieldKind, SegmentFacts } from '@meridian/events/rules';
import { FACT_FIELDS } from '@meridian/events/rules';

/**
 * What a campaign's audience rule and its variants' rules read (issue 12, point 1): the
 * features of the customer's latest ProfileUpdated, what segmentation announced of them on
 * crm.segment.v1 — tier, lifecycle stage, churn, RFM, CLV, each once it has been announced —
 * the tags (the profile's and the catalogue's the customer holds), and the rule-based segments
 * the customer is in. The same rule language as segmentation's (ADR 0004), one field more.
 */
export type CampaignFacts = Omit<SegmentFacts, keyof DerivedFacts> & Partial<DerivedFacts> & { segments: string[] };

/** The fields a campaign's rule may name: segmentation's facts and `segments`. */
export const CAMPAIGN_FACT_FIELDS: ReadonlyMap<string, FieldKind> = new Map([...FACT_FIELDS, ['segments', { kind: 'array', element: { kind: 'string' } }]]);

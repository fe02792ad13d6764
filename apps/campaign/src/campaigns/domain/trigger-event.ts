import type { LifecycleStage, Tier } from '@meridian/events';
import type { CampaignTrigger } from './campaign-definition';

/**
 * Something that happened to one customer that may set campaigns off (crm.segment.v1 today),
 * named by the event that said so; `profileVersion` is the ProfileUpdated it was derived from,
 * when known: the decision waits until that version's consents are kept.
 */
export type TriggerEvent = { triggerId: string; customerId: string; at: string; profileVersion?: number } & (
  | { kind: 'SEGMENT_ENTERED'; segmentId: string }
  | { kind: 'LIFECYCLE_CHANGED'; to: LifecycleStage }
  | { kind: 'TIER_CHANGED'; to: Tier }
  | { kind: 'CHURN_RISK_HIGH' }
);

/** A catalogue tag's segment id prefix (CONTRACTS.md §4: `tag:<CODE>`). */
export const TAG = 'tag:';

/** Does a campaign's trigger fire on this event? A catalogue tag entered (`tag:<CODE>`) is a TAG_ADDED, a segment entered a SEGMENT_ENTERED. */
export function triggerMatches(trigger: CampaignTrigger, event: TriggerEvent): boolean {
  switch (trigger.kind) {
    case 'SEGMENT_ENTERED':
      return event.kind === 'SEGMENT_ENTERED' && event.segmentId === trigger.segmentId && !trigger.segmentId.startsWith(TAG);
    case 'TAG_ADDED':
      return event.kind === 'SEGMENT_ENTERED' && event.segmentId === `${TAG}${trigger.tag}`;
    case 'LIFECYCLE_CHANGED':
      return event.kind === 'LIFECYCLE_CHANGED' && event.to === trigger.to;
    case 'TIER_CHANGED':
      return event.kind === 'TIER_CHANGED' && (trigger.to === undefined || event.to === trigger.to);
    case 'CHURN_RISK_HIGH':
      return event.kind === 'CHURN_RISK_HIGH';
    default:
      // PRODUCT_OPENED, TRANSACTION and SCHEDULED are not decided from crm.segment.v1.
      return false;
  }
}

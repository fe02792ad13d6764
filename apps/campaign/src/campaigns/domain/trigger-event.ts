import type { LifecycleStage, ProductType, Tier, TransactionCategory } from '@meridian/events';
import type { CampaignTrigger } from './campaign-definition';
import { HOUR_MS } from './durations';

/**
 * Something that happened to one customer that may set campaigns off (crm.segment.v1, crm.product.v1, crm.transaction.v1, a batch run),
 * named by the event that said so; `profileVersion` is the ProfileUpdated it was derived from,
 * when known: the decision waits until that version's consents are kept.
 */
export type TriggerEvent = { triggerId: string; customerId: string; at: string; profileVersion?: number } & (
  | { kind: 'SEGMENT_ENTERED'; segmentId: string }
  | { kind: 'LIFECYCLE_CHANGED'; to: LifecycleStage }
  | { kind: 'TIER_CHANGED'; to: Tier }
  | { kind: 'CHURN_RISK_HIGH' }
  /** A scheduled campaign's batch run reaching the customer (issue 12, point 8): one trigger a run and customer. */
  | { kind: 'SCHEDULED' }
  /** What the customer did (crm.product.v1, crm.transaction.v1): a mortgage opened → a renovation loan offer. */
  | { kind: 'PRODUCT_OPENED'; productType: ProductType }
  | { kind: 'TRANSACTION'; category: TransactionCategory; amountMinor: number }
);

/**
 * The triggers too old to set anything off — a replay of a topic: a customer is not offered
 * today what they did last month — which only publish again what they decided before.
 */
export function replayedTriggers(triggers: readonly TriggerEvent[], now: Date, maxAgeHours: number): Set<string> {
  const oldest = now.getTime() - maxAgeHours * HOUR_MS;
  return new Set(triggers.filter((t) => Date.parse(t.at) < oldest).map((t) => t.triggerId));
}

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
    case 'PRODUCT_OPENED':
      return event.kind === 'PRODUCT_OPENED' && event.productType === trigger.productType;
    case 'TRANSACTION':
      return event.kind === 'TRANSACTION' && event.category === trigger.category && event.amountMinor >= (trigger.minAmountMinor ?? 0);
    default:
      // SCHEDULED campaigns are decided by their batch run, never by an event.
      return false;
  }
}

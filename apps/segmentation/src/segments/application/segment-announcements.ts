import { EnvelopeInit, TOPICS } from '@meridian/events';
import { OutgoingEvent, newEnvelope } from '@meridian/events/kafka';
import { SegmentChange } from '../domain/segment-state';

export interface AnnouncementCause {
  customerId: string;
  /** What caused the evaluation, stable across redeliveries: `p<profile version>` or `s<sweep instant>`. */
  cause: string;
  occurredAt: string;
  causationId?: string;
  correlationId?: string;
}

/**
 * crm.segment.v1 events for an evaluation's changes. Each eventId is derived from the
 * customer, the cause and the change, so announcing a stored outbox again is the same
 * event (consumers drop what they had); the time is the evaluation's instant.
 */
export function announceChanges(changes: readonly SegmentChange[], cause: AnnouncementCause): EnvelopeInit[] {
  return changes.map((change) => {
    const segment = change.type === 'SegmentMembershipChanged' ? `-${change.payload.segmentId}` : '';
    return newEnvelope(change.type, { customerId: cause.customerId, ...change.payload }, {
      eventId: `seg-${cause.customerId}-${cause.cause}-${change.type}${segment}`.replace(/[^\x21-\x7e]/g, '_'),
      source: 'meridian-segmentation',
      customerId: cause.customerId,
      occurredAt: cause.occurredAt,
      ...(cause.causationId && { causationId: cause.causationId }),
      ...(cause.correlationId && { correlationId: cause.correlationId }),
    });
  });
}

export const onSegmentTopic = (envelopes: readonly EnvelopeInit[]): OutgoingEvent[] => envelopes.map((envelope) => ({ topic: TOPICS.segment, envelope }));

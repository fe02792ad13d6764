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
 * What a write decided to announce: the cause and the changes. The embedded outbox keeps
 * these, not the events (a first evaluation against hundreds of segments enters as many, and
 * an event's envelope is five times its change): the events are made from them when sent
 * (`outboxEvents`), the same events every time.
 */
export interface Announcement {
  cause: AnnouncementCause;
  changes: SegmentChange[];
}

/** The announcement of the changes, if there are any. */
export const announce = (changes: readonly SegmentChange[], cause: AnnouncementCause): Announcement[] => (changes.length ? [{ cause, changes: [...changes] }] : []);

/**
 * An entry of a stored outbox: an announcement, or an event as versions before the compact
 * outbox stored them (a write left unsettled by a crash before an upgrade), sent as it is.
 */
export type OutboxEntry = Announcement | EnvelopeInit;

/** The events of an outbox, in its order. */
export const outboxEvents = (outbox: readonly OutboxEntry[]): EnvelopeInit[] => outbox.flatMap((a) => ('eventId' in a ? [a] : announceChanges(a.changes, a.cause)));

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

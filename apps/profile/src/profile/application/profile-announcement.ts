import { EnvelopeInit, EventEnvelope, ProfileUpdated, TOPICS } from '@meridian/events';
import { OutgoingEvent, newEnvelope } from '@meridian/events/kafka';
import { ProfileState } from '../domain/profile-state';

/**
 * The ProfileUpdated that announces a profile's new version. Its eventId is derived from
 * customer, version and status, so announcing a stored outbox again is the same event
 * (consumers drop what they had); its time is the profile's asOf, never the wall clock.
 */
/** What caused an announcement: the last event folded, or the day roll's instant (roll-customer.ts). */
export type AnnouncementCause = Pick<EventEnvelope, 'eventId' | 'occurredAt' | 'correlationId'>;

export function announceProfile(state: ProfileState, features: ProfileUpdated['features'], changed: string[], cause: AnnouncementCause, status?: ProfileUpdated['status'], mergedInto?: string): OutgoingEvent {
  const payload: ProfileUpdated = { customerId: state.customerId, version: state.version, changedFields: changed, features, ...(status && { status }), ...(mergedInto && { mergedInto }) };
  const envelope: EnvelopeInit<ProfileUpdated> = newEnvelope('ProfileUpdated', payload, {
    eventId: `profile-${state.customerId}-${state.version}-${status ?? 'ACTIVE'}`,
    source: 'meridian-profile',
    customerId: state.customerId,
    occurredAt: state.asOf ?? cause.occurredAt,
    causationId: cause.eventId,
    correlationId: cause.correlationId ?? cause.eventId,
  });
  return { topic: TOPICS.profile, envelope };
}

import type { ProfileUpdated } from '@meridian/events';
import { OutgoingEvent } from '@meridian/events/kafka';

/**
 * Notes the highest ProfileUpdated version a writer announces per customer: an erasure
 * decided meanwhile announces ERASED above it (ADR 0007: erasure on the owner of the customer).
 */
export function noteAnnouncedVersions(into: Map<string, number>, announcements: readonly OutgoingEvent[]): void {
  for (const { envelope } of announcements) {
    const { customerId, version } = envelope.payload as ProfileUpdated;
    into.set(customerId, Math.max(into.get(customerId) ?? 0, version));
  }
}

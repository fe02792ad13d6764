import { ConflictException, Injectable } from '@nestjs/common';
import { CustomerErased, ProfileUpdated, TOPICS } from '@meridian/events';
import { EventPublisher, OutgoingEvent, newEnvelope } from '@meridian/events/kafka';
import { erasureStep } from '../domain/erasure-step';
import { emptyFeatures } from '../domain/profile-snapshot';
import { DataKeys } from './ports/data-keys.port';
import { ErasureMarker, ErasureMarkers } from './ports/erasure-markers.port';
import { PiiIndex } from './ports/pii-index.port';
import { ProfileEventLog } from './ports/profile-event-log.port';
import { PendingAnnouncement, ProfileDoc, ProfileStore } from './ports/profile-store.port';

/**
 * PIPL erasure (DOMAIN.md: crypto-shredding): the data keys of the customer and of everyone
 * merged into them are destroyed — what was sealed under them no longer opens, anywhere —
 * the profile becomes a tombstone, every look-up key and timeline index entry of those
 * customers goes, and
 * CustomerErased and a last ProfileUpdated (status ERASED) are published. The same step
 * applies a CustomerErased read from the log (another instance, or a replay into an empty
 * database).
 *
 * Resumable: the tombstone is written first and carries the announcements still to be
 * made (they hold no PII). Every later step is idempotent, and the tombstone is settled
 * only when all are done, so an erasure cut short by an outage is finished by the next
 * request (or the next CustomerErased) instead of being answered 410 half-done.
 *
 * Safe against a concurrent fold on another instance (ADR 0007: erasure on the owner of the
 * customer): the decision is recorded as an insert-only marker before the tombstone, and
 * every fold ends with `reassert` — it reads the markers of the customers it wrote and, for
 * each one it finds, finishes the erasure again. A write that landed before the marker is
 * undone by the erasure's later steps; one that landed after it is followed by its writer's
 * own check, which sees the marker.
 */
@Injectable()
export class ProfileEraser {
  constructor(
    private readonly repository: ProfileStore,
    private readonly piiIndex: PiiIndex,
    private readonly keys: DataKeys,
    private readonly publisher: EventPublisher,
    private readonly eventLog: ProfileEventLog,
    private readonly markers: ErasureMarkers,
  ) {}

  /** Erases, or finishes an erasure cut short; undefined when it was complete already. */
  async erase(doc: ProfileDoc | undefined, customerId: string, erasedBy: string, at: string, reason?: string, announceErased = true): Promise<ErasureDone | undefined> {
    if (doc?.status === 'ERASED') {
      if (!doc.pendingAnnouncements) return undefined;
      // A tombstone left pending (perhaps by a release without markers): marked before it is finished, so folds see it.
      const announced = doc.pendingAnnouncements.some((a) => a.envelope.type === 'CustomerErased');
      await this.markers.record({ _id: customerId, erasedAt: doc.erasedAt ?? at, erasedBy: doc.erasedBy ?? erasedBy, announceErased: announced, ...(doc.mergedFrom && { mergedFrom: doc.mergedFrom }) });
      return this.complete(doc);
    }
    if (doc?.status === 'MERGED') throw new ConflictException(`customer ${customerId} is merged into ${doc.mergedInto}: erase that customer`);
    const marker = await this.markers.record({ _id: customerId, erasedAt: at, erasedBy, ...(reason && { reason }), announceErased, ...(doc?.mergedFrom && { mergedFrom: doc.mergedFrom }) });
    return this.finish(marker);
  }

  /**
   * After a writer's last write and announcement for these customers: those whose erasure
   * was decided meanwhile are erased again, their tombstone above every version the writer
   * announced (`announced`: the highest, per customer).
   */
  async reassert(customerIds: readonly string[], announced: ReadonlyMap<string, number>): Promise<void> {
    if (!customerIds.length) return;
    for (const marker of (await this.markers.find(customerIds)).values()) await this.finish(marker, announced.get(marker._id));
  }

  /** The erasure a marker decided, from the profile as stored now (read after the marker). */
  private async finish(marker: ErasureMarker, announcedUpTo?: number): Promise<ErasureDone> {
    const stored = (await this.repository.loadFresh(marker._id)) ?? undefined;
    const step = erasureStep(stored, announcedUpTo);
    if (step.write === 'none') return this.complete(step.tombstone);
    const version = step.version;
    const mergedFrom = [...new Set([...(marker.mergedFrom ?? []), ...(stored?.mergedFrom ?? [])])].sort();
    const tombstone: ProfileDoc = {
      _id: marker._id,
      status: 'ERASED',
      version,
      offsets: stored?.offsets ?? {},
      erasedAt: marker.erasedAt,
      erasedBy: marker.erasedBy,
      ...(mergedFrom.length && { mergedFrom }),
      pendingAnnouncements: erasureAnnouncements(marker, version),
    };
    await this.repository.putTombstone(tombstone);
    return this.complete(tombstone);
  }

  /** The idempotent rest of an erasure, then the tombstone settled. */
  private async complete(tombstone: ProfileDoc): Promise<ErasureDone> {
    const owners = [tombstone._id, ...(tombstone.mergedFrom ?? [])];
    await this.keys.destroy(owners);
    await this.piiIndex.forgetPiiOf(owners);
    await this.eventLog.forgetTimelineOf(owners);
    if (tombstone.pendingAnnouncements) {
      await this.publisher.publishAll(tombstone.pendingAnnouncements);
      // Lost to another writer: a newer tombstone (its writer settles it) or a fold over this one (its reassert erases again).
      await this.repository.settleErasure(tombstone);
    }
    return { keysDestroyed: owners.length, version: tombstone.version, erasedAt: tombstone.erasedAt ?? '', erasedBy: tombstone.erasedBy ?? '' };
  }
}

/** The last ProfileUpdated (status ERASED, at the tombstone's version) and, when the erasure was ours, CustomerErased: no PII. */
function erasureAnnouncements(marker: ErasureMarker, version: number): PendingAnnouncement[] {
  const customerId = marker._id;
  const at = marker.erasedAt;
  const last: ProfileUpdated = { customerId, version, changedFields: ['status'], features: emptyFeatures(), status: 'ERASED' };
  const announcements: OutgoingEvent[] = [
    { topic: TOPICS.profile, envelope: newEnvelope('ProfileUpdated', last, { eventId: `profile-${customerId}-${version}-ERASED`, source: 'meridian-profile', customerId, occurredAt: at }) },
  ];
  if (marker.announceErased) {
    const erased: CustomerErased = { customerId, erasedBy: marker.erasedBy, ...(marker.reason && { reason: marker.reason }) };
    announcements.push({ topic: TOPICS.governance, envelope: newEnvelope('CustomerErased', erased, { eventId: `erased-${customerId}`, source: 'meridian-profile', customerId, occurredAt: at }) });
  }
  return announcements;
}

export interface ErasureDone {
  keysDestroyed: number;
  version: number;
  erasedAt: string;
  erasedBy: string;
}

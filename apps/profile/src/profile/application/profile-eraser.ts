import { ConflictException, Injectable } from '@nestjs/common';
import { CustomerErased, ProfileUpdated, TOPICS } from '@meridian/events';
import { EventPublisher, newEnvelope } from '@meridian/events/kafka';
import { DataKeys } from './ports/data-keys.port';
import { PiiIndex } from './ports/pii-index.port';
import { ProfileEventLog } from './ports/profile-event-log.port';
import { PendingAnnouncement, ProfileDoc, ProfileStore } from './ports/profile-store.port';
import { emptyFeatures } from '../domain/profile-snapshot';

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
 */
@Injectable()
export class ProfileEraser {
  constructor(
    private readonly repository: ProfileStore,
    private readonly piiIndex: PiiIndex,
    private readonly keys: DataKeys,
    private readonly publisher: EventPublisher,
    private readonly eventLog: ProfileEventLog,
  ) {}

  /** Erases, or finishes an erasure cut short; undefined when it was complete already. */
  async erase(doc: ProfileDoc | undefined, customerId: string, erasedBy: string, at: string, reason?: string, announceErased = true): Promise<ErasureDone | undefined> {
    if (doc?.status === 'ERASED') return doc.pendingAnnouncements ? this.complete(doc) : undefined;
    if (doc?.status === 'MERGED') throw new ConflictException(`customer ${customerId} is merged into ${doc.mergedInto}: erase that customer`);
    const version = (doc?.version ?? 0) + 1;
    const last: ProfileUpdated = { customerId, version, changedFields: ['status'], features: emptyFeatures(), status: 'ERASED' };
    const announcements: PendingAnnouncement[] = [
      { topic: TOPICS.profile, envelope: newEnvelope('ProfileUpdated', last, { eventId: `profile-${customerId}-${version}-ERASED`, source: 'meridian-profile', customerId, occurredAt: at }) },
    ];
    if (announceErased) {
      const erased: CustomerErased = { customerId, erasedBy, ...(reason && { reason }) };
      announcements.push({ topic: TOPICS.governance, envelope: newEnvelope('CustomerErased', erased, { eventId: `erased-${customerId}`, source: 'meridian-profile', customerId, occurredAt: at }) });
    }
    const tombstone: ProfileDoc = {
      _id: customerId,
      status: 'ERASED',
      version,
      offsets: doc?.offsets ?? {},
      erasedAt: at,
      erasedBy,
      ...(doc?.mergedFrom && { mergedFrom: doc.mergedFrom }),
      pendingAnnouncements: announcements,
    };
    if (!(await this.repository.save(tombstone, doc?.version))) throw new ConflictException(`customer ${customerId} changed during erasure; try again`);
    return this.complete(tombstone);
  }

  /** The idempotent rest of an erasure, then the tombstone settled. */
  private async complete(tombstone: ProfileDoc): Promise<ErasureDone> {
    const owners = [tombstone._id, ...(tombstone.mergedFrom ?? [])];
    await this.keys.destroy(owners);
    await this.piiIndex.forgetPiiOf(owners);
    await this.eventLog.forgetTimelineOf(owners);
    await this.publisher.publishAll(tombstone.pendingAnnouncements ?? []);
    await this.repository.settleErasure(tombstone);
    return { keysDestroyed: owners.length, version: tombstone.version, erasedAt: tombstone.erasedAt ?? '', erasedBy: tombstone.erasedBy ?? '' };
  }
}

export interface ErasureDone {
  keysDestroyed: number;
  version: number;
  erasedAt: string;
  erasedBy: string;
}

import { ConflictException, Injectable } from '@nestjs/common';
import { CustomerErased, ProfileUpdated, TOPICS } from '@meridian/events';
import { EventPublisher, OutgoingEvent, newEnvelope } from '@meridian/events/kafka';
import { BlindIndex } from '@meridian/shared';
import { DataKeyStore } from '../infrastructure/data-key.store';
import { ProfileDoc, ProfileRepository } from '../infrastructure/profile.repository';
import { ProfileSealing } from '../infrastructure/profile-sealing';
import { emptyFeatures } from '../domain/profile-snapshot';
import { piiKeysOf } from './pii-keys';

/**
 * PIPL erasure (DOMAIN.md: crypto-shredding): the data keys of the customer and of everyone
 * merged into them are destroyed — what was sealed under them no longer opens, anywhere —
 * the profile becomes a tombstone, its look-up keys go, and CustomerErased and a last
 * ProfileUpdated (status ERASED) are published. The same step applies a CustomerErased
 * read from the log (another instance, or a replay into an empty database).
 */
@Injectable()
export class ProfileEraser {
  constructor(
    private readonly repository: ProfileRepository,
    private readonly keys: DataKeyStore,
    private readonly sealing: ProfileSealing,
    private readonly blindIndex: BlindIndex,
    private readonly publisher: EventPublisher,
  ) {}

  /** Erases; answers the announcements it published (none when it was erased already). */
  async erase(doc: ProfileDoc | undefined, customerId: string, erasedBy: string, at: string, reason?: string, announceErased = true): Promise<{ keysDestroyed: number; version: number } | undefined> {
    if (doc?.status === 'ERASED') return undefined;
    if (doc?.status === 'MERGED') throw new ConflictException(`customer ${customerId} is merged into ${doc.mergedInto}: erase that customer`);
    const owners = [customerId, ...(doc?.mergedFrom ?? [])];
    const key = await this.keys.keyOf(customerId);
    const state = doc?.sealed && key ? this.sealing.openProfile(key, customerId, doc.sealed) : undefined;
    const version = (doc?.version ?? 0) + 1;
    const last: ProfileUpdated = { customerId, version, changedFields: ['status'], features: emptyFeatures(), status: 'ERASED' };
    const announcements: OutgoingEvent[] = [
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
    };
    if (!(await this.repository.save(tombstone, doc?.version))) throw new ConflictException(`customer ${customerId} changed during erasure; try again`);
    await this.keys.destroy(owners);
    if (state) await this.repository.indexPii(customerId, [], piiKeysOf(state, this.blindIndex));
    await this.repository.uncache(owners);
    await this.publisher.publishAll(announcements);
    return { keysDestroyed: owners.length, version };
  }
}

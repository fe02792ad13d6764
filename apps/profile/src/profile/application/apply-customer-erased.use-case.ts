import { Injectable } from '@nestjs/common';
import { CustomerErased } from '@meridian/events';
import { BatchOutcome } from '@meridian/events/kafka';
import { KeyedMutex } from '@meridian/shared';
import { DataKeys } from './ports/data-keys.port';
import { ProfileStore } from './ports/profile-store.port';
import { ProfileEraser } from './profile-eraser';
import { ProfileRecord } from './profile-record';

/**
 * A CustomerErased read from the log (ADR 0007): erased by another instance, or a replay
 * into an empty database — the same erasure, once, decided on the profile as stored.
 */
@Injectable()
export class ApplyCustomerErasedUseCase {
  constructor(
    private readonly profiles: ProfileStore,
    private readonly keys: DataKeys,
    private readonly eraser: ProfileEraser,
    private readonly locks: KeyedMutex,
  ) {}

  async execute(item: ProfileRecord): Promise<BatchOutcome> {
    const e = item.envelope;
    const c = e.payload as CustomerErased;
    this.keys.forget([c.customerId]);
    await this.locks.run(c.customerId, async () => {
      const doc = await this.profiles.loadFresh(c.customerId);
      await this.eraser.erase(doc ?? undefined, c.customerId, c.erasedBy, e.occurredAt, c.reason, false);
    });
    return { status: 'applied' };
  }
}

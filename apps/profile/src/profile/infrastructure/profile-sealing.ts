import { Injectable } from '@nestjs/common';
import type { EnvelopeInit } from '@meridian/events';
import { FieldEncryption } from '@meridian/shared';
import { ProfileSealer } from '../application/ports/profile-sealer.port';
import { ProfileState, canonical } from '../domain/profile-state';

const PROFILE_FIELD = 'profile';
const EVENT_FIELD = 'event';
const OUTBOX_FIELD = 'outbox';

/**
 * Seals what is sensitive — the whole profile state, every logged payload — under the
 * customer's data key, bound to the customer and to what it is (a profile cannot be
 * swapped for an event payload, nor moved to another customer).
 */
@Injectable()
export class ProfileSealing implements ProfileSealer {
  constructor(private readonly encryption: FieldEncryption) {}

  sealProfile(key: Buffer, state: ProfileState): string {
    return this.encryption.encryptField(key, state.customerId, PROFILE_FIELD, JSON.stringify(canonical(state)));
  }

  openProfile(key: Buffer, customerId: string, sealed: string): ProfileState {
    return JSON.parse(this.encryption.decryptField(key, customerId, PROFILE_FIELD, sealed)) as ProfileState;
  }

  sealOutbox(key: Buffer, customerId: string, envelope: EnvelopeInit): string {
    return this.encryption.encryptField(key, customerId, OUTBOX_FIELD, JSON.stringify(envelope));
  }

  openOutbox(key: Buffer, customerId: string, sealed: string): EnvelopeInit {
    return JSON.parse(this.encryption.decryptField(key, customerId, OUTBOX_FIELD, sealed)) as EnvelopeInit;
  }

  sealEvent(key: Buffer, customerId: string, eventId: string, payload: unknown): string {
    return this.encryption.encryptField(key, customerId, `${EVENT_FIELD}:${eventId}`, JSON.stringify(payload));
  }

  openEvent<P = unknown>(key: Buffer, customerId: string, eventId: string, sealed: string): P {
    return JSON.parse(this.encryption.decryptField(key, customerId, `${EVENT_FIELD}:${eventId}`, sealed)) as P;
  }
}

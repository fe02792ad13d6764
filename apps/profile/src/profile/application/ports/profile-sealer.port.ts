import type { EnvelopeInit } from '@meridian/events';
import { ProfileState } from '../../domain/profile-state';

/**
 * Seals what is sensitive under the customer's data key, bound to the customer and to
 * what it is (ADR 0007: sealed at rest). The port of `ProfileSealing` (STYLE.md rule 3),
 * so use cases do not reach into infrastructure for the crypto.
 */
export abstract class ProfileSealer {
  abstract sealProfile(key: Buffer, state: ProfileState): string;
  abstract openProfile(key: Buffer, customerId: string, sealed: string): ProfileState;
  abstract sealOutbox(key: Buffer, customerId: string, envelope: EnvelopeInit): string;
  abstract openOutbox(key: Buffer, customerId: string, sealed: string): EnvelopeInit;
  abstract sealEvent(key: Buffer, customerId: string, eventId: string, payload: unknown): string;
  abstract openEvent<P = unknown>(key: Buffer, customerId: string, eventId: string, sealed: string): P;
}

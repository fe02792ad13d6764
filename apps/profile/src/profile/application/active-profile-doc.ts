import { OutgoingEvent } from '@meridian/events/kafka';
import { ProfileState } from '../domain/profile-state';
import { ProfileSealer } from './ports/profile-sealer.port';
import { ProfileDoc } from './ports/profile-store.port';

/**
 * The stored form of a live profile (ADR 0007: sealed at rest): the sealed state, in clear
 * only what routing and scope checks need, and the sealed announcement (embedded outbox).
 */
export function activeProfileDoc(sealing: ProfileSealer, state: ProfileState, offsets: Record<string, number>, key: Buffer, announcement?: OutgoingEvent): ProfileDoc {
  return {
    _id: state.customerId,
    status: 'ACTIVE',
    version: state.version,
    ...(state.asOf && { asOf: state.asOf }),
    ...(state.rolledTo && { rolledTo: state.rolledTo }),
    ...(state.identity?.branchId && { branchId: state.identity.branchId }),
    ...(state.identity?.rmId && { rmId: state.identity.rmId }),
    offsets,
    sealed: sealing.sealProfile(key, state),
    ...(announcement && { outbox: sealing.sealOutbox(key, state.customerId, announcement.envelope) }),
  };
}

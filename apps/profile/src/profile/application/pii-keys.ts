import { normalisePhone } from '@meridian/events';
import { BlindIndex } from '@meridian/shared';
import { ProfileState } from '../domain/profile-state';

/** Look-up keys of a profile's identity (blind indexes; the same HMAC key as ingest's). */
export function piiKeysOf(state: ProfileState, index: BlindIndex): string[] {
  const id = state.identity;
  if (!id) return [];
  return [`ID_NUMBER:${index.compute('ID_NUMBER', id.idNumber)}`, ...(id.phone ? [`PHONE:${index.compute('PHONE', normalisePhone(id.phone))}`] : [])];
}

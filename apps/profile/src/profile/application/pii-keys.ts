import { normalisePhone } from '@meridian/events';
import { BlindIndex } from '@meridian/shared';
import { ProfileState } from '../domain/profile-state';

/** Look-up keys of a profile's identity (blind indexes; the same HMAC key as ingest's). */
export function piiKeysOf(state: ProfileState, index: BlindIndex): string[] {
  const id = state.identity;
  if (!id) return [];
  return [`ID_NUMBER:${index.compute('ID_NUMBER', id.idNumber)}`, ...(id.phone ? [`PHONE:${index.compute('PHONE', normalisePhone(id.phone))}`] : [])];
}

/** The keys to put and those to forget when a profile's identity goes from `before` to `after` (only keys no longer theirs go). */
export function lookupKeyChange(before: ProfileState | undefined, after: ProfileState, index: BlindIndex): { keys: string[]; forget: string[] } {
  const keys = piiKeysOf(after, index);
  return { keys, forget: before ? piiKeysOf(before, index).filter((k) => !keys.includes(k)) : [] };
}

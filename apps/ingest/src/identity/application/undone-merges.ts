import { IdentityMerged } from '@meridian/events';
import { OutgoingEvent } from '@meridian/events/kafka';
import { IdentityChange, IdentityRepository } from '../infrastructure/identity.repository';

/**
 * The events of `changes` but the IdentityMerged of a merge an ADMIN has undone since it
 * was decided (a retry or a relay long after): announced again, every service would fold
 * the customers back together.
 */
export async function withoutUndoneMerges(repository: IdentityRepository, changes: readonly IdentityChange[], events: readonly OutgoingEvent[]): Promise<OutgoingEvent[]> {
  const undone = new Set<string>();
  for (const change of changes) if (change.kind === 'merge' && (await repository.merge(change.mergeId))?.status === 'UNDONE') undone.add(change.mergeId);
  return undone.size ? events.filter((e) => !(e.envelope.type === 'IdentityMerged' && undone.has((e.envelope.payload as IdentityMerged).mergeId))) : [...events];
}

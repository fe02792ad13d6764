import { IdentityMerged } from '@meridian/events';
import { OutgoingEvent } from '@meridian/events/kafka';
import { IdentityChange, IdentityStore } from './ports/identity-store.port';

/**
 * Merges among `changes` an ADMIN has undone since they were decided (a batch retried, or
 * relayed, long after): they are neither made nor announced again — every service would
 * fold the customers back together.
 */
export async function undoneMerges(repository: IdentityStore, changes: readonly IdentityChange[]): Promise<ReadonlySet<string>> {
  const undone = new Set<string>();
  for (const change of changes) if (change.kind === 'merge' && (await repository.merge(change.mergeId))?.status === 'UNDONE') undone.add(change.mergeId);
  return undone;
}

/** The changes still to make, given the undone merges. */
export function changesToMake(undone: ReadonlySet<string>, changes: readonly IdentityChange[]): IdentityChange[] {
  return changes.filter((c) => !(c.kind === 'merge' && undone.has(c.mergeId)));
}

/** The events still to publish, given the undone merges. */
export function eventsToPublish(undone: ReadonlySet<string>, events: readonly OutgoingEvent[]): OutgoingEvent[] {
  return events.filter((e) => !(e.envelope.type === 'IdentityMerged' && undone.has((e.envelope.payload as IdentityMerged).mergeId)));
}

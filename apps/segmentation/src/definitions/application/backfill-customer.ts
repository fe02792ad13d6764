import { SegmentStateDoc } from '../../segments/application/ports/segment-state-store.port';
import { announce } from '../../segments/application/segment-announcements';
import { Decided } from '../../segments/application/state-writes';
import { SegmentFacts } from '@meridian/events/rules';
import { rememberSegment } from '../domain/segment-membership';

/** The cause of a back-fill's events: the segment and the version judged (`bseg-1a2b3cv2`), so each version moves a customer once. */
export const backfillCause = (segmentId: string, version: number) => `b${segmentId}v${version}`;

export interface BackfillTarget {
  segmentId: string;
  version: number;
  /** The segment's compiled rule; absent when it was deleted. */
  matches?: (facts: SegmentFacts) => boolean;
  /** The back-fill's start: the instant its announcements carry. */
  startedAt: string;
}

/** What a back-fill did to the customer it decided last. */
export interface Moved {
  change?: 'ENTERED' | 'EXITED';
}

/**
 * A stored customer judged again for one segment: written only when their membership moves
 * (nothing else changes); a tombstone (MERGED, ERASED) holds nothing and is left as is.
 * `moved` learns what happened to the document decided last.
 */
export function backfillCustomer(doc: SegmentStateDoc | undefined, target: BackfillTarget, moved: Moved): Decided {
  moved.change = undefined;
  if (!doc || doc.status !== 'ACTIVE') return { fresh: [] };
  const { memberships, changes } = rememberSegment(doc, target.segmentId, target.matches);
  if (!changes.length) return { fresh: [] };
  moved.change = memberships.includes(target.segmentId) ? 'ENTERED' : 'EXITED';
  const fresh = announce(changes, { customerId: doc._id, cause: backfillCause(target.segmentId, target.version), occurredAt: target.startedAt });
  return { next: { ...doc, rev: doc.rev + 1, memberships, outbox: [...doc.outbox, ...fresh] }, fresh };
}

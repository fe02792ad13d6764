import { sampleFacts } from '@meridian/events/testing';
import { SegmentStateDoc } from '../../segments/application/ports/segment-state-store.port';
import { outboxEvents } from '../../segments/application/segment-announcements';
import { Moved, backfillCause, backfillCustomer } from './backfill-customer';

const doc = (memberships: string[], tier: 'GOLD' | 'MASS' = 'GOLD'): SegmentStateDoc =>
  ({ _id: 'C1', rev: 4, outbox: [], status: 'ACTIVE', profileVersion: 3, asOf: '2026-11-30T00:00:00.000Z', features: {} as never, tier: {} as never, facts: sampleFacts({ tier }), memberships }) as SegmentStateDoc;
const target = { segmentId: 'seg-abc', version: 2, matches: (f: { tier: string }) => f.tier === 'GOLD', startedAt: '2026-12-01T08:00:00.000Z' };

describe('backfillCustomer', () => {
  it('writes the move alone, announced under the segment and version, at the back-fill’s start', () => {
    const moved: Moved = {};
    const { next, fresh } = backfillCustomer(doc(['tag:A']), target, moved);
    expect(moved.change).toBe('ENTERED');
    expect(next).toEqual({ ...doc(['seg-abc', 'tag:A']), rev: 5, outbox: fresh });
    expect(outboxEvents(fresh)).toHaveLength(1);
    expect(outboxEvents(fresh)[0]).toMatchObject({ eventId: `seg-C1-${backfillCause('seg-abc', 2)}-SegmentMembershipChanged-seg-abc`, occurredAt: target.startedAt, payload: { customerId: 'C1', segmentId: 'seg-abc', change: 'ENTERED' } });
  });

  it('takes a member out once the segment is deleted or no longer matches', () => {
    for (const t of [{ ...target, matches: undefined }, { ...target, matches: () => false }]) {
      const moved: Moved = {};
      expect(backfillCustomer(doc(['seg-abc']), t, moved).next?.memberships).toEqual([]);
      expect(moved.change).toBe('EXITED');
    }
  });

  it('writes nothing for a customer already right, a tombstone, or nobody — and says nothing moved', () => {
    const tombstone = { _id: 'C1', rev: 2, outbox: [], status: 'ERASED', profileVersion: 2, asOf: '2026-11-30T00:00:00.000Z', memberships: [] } as SegmentStateDoc;
    for (const d of [doc(['seg-abc']), doc([], 'MASS'), tombstone, undefined]) {
      const moved: Moved = { change: 'ENTERED' };
      expect(backfillCustomer(d, target, moved)).toEqual({ fresh: [] });
      expect(moved.change).toBeUndefined();
    }
  });

  it('keeps a pending outbox ahead of its own event', () => {
    const pending = { cause: { customerId: 'C1', cause: 'p2', occurredAt: '2026-11-29T00:00:00.000Z' }, changes: [] } as never;
    expect(backfillCustomer({ ...doc([]), outbox: [pending] }, target, {}).next?.outbox[0]).toBe(pending);
  });
});

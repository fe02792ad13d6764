import { SegmentChange } from '../domain/segment-state';
import { announce, announceChanges, outboxEvents } from './segment-announcements';

const cause = { customerId: 'C1', cause: 'p3', occurredAt: '2026-12-01T02:00:00.000Z', causationId: 'profile-C1-3' };
const changes: SegmentChange[] = [
  { type: 'TierChanged', payload: { from: 'SILVER', to: 'GOLD', reason: 'AUM above the threshold' } },
  { type: 'SegmentMembershipChanged', payload: { segmentId: 'seg-a', change: 'EXITED' } },
  { type: 'SegmentMembershipChanged', payload: { segmentId: 'tag:PAYROLL', change: 'ENTERED' } },
];

describe('the embedded outbox keeps causes and changes, not events', () => {
  it('makes the same events from a stored outbox as from the decision, in its order, every time', () => {
    const outbox = [...announce(changes, cause), ...announce(changes.slice(0, 1), { ...cause, cause: 'p4' })];
    const stored = JSON.parse(JSON.stringify(outbox));
    expect(outboxEvents(stored)).toEqual([...announceChanges(changes, cause), ...announceChanges(changes.slice(0, 1), { ...cause, cause: 'p4' })]);
    expect(outboxEvents(stored).map((e) => e.eventId)).toEqual(outboxEvents(outbox).map((e) => e.eventId));
    expect(new Set(outboxEvents(outbox).map((e) => e.eventId)).size).toBe(4);
  });

  it('sends an event stored by an earlier version as it is, in its place', () => {
    const [legacy] = announceChanges(changes.slice(0, 1), { ...cause, cause: 'p2' });
    const outbox = [legacy, ...announce(changes.slice(1), cause)];
    expect(outboxEvents(outbox)).toEqual([legacy, ...announceChanges(changes.slice(1), cause)]);
  });

  it('keeps the eventIds earlier versions announced: customer, cause, type and segment', () => {
    expect(outboxEvents(announce(changes, cause)).map((e) => e.eventId)).toEqual(['seg-C1-p3-TierChanged', 'seg-C1-p3-SegmentMembershipChanged-seg-a', 'seg-C1-p3-SegmentMembershipChanged-tag:PAYROLL']);
    expect(outboxEvents(announce(changes, cause))[0]).toMatchObject({ occurredAt: cause.occurredAt, causationId: cause.causationId, source: 'meridian-segmentation', customerId: 'C1', payload: { customerId: 'C1', from: 'SILVER', to: 'GOLD' } });
  });

  it('announces nothing for no change', () => {
    expect(announce([], cause)).toEqual([]);
    expect(outboxEvents([])).toEqual([]);
  });

  it('stores a first evaluation’s memberships in a fraction of their events’ size', () => {
    const many: SegmentChange[] = Array.from({ length: 100 }, (_, i) => ({ type: 'SegmentMembershipChanged', payload: { segmentId: `seg-${i}`, change: 'ENTERED' } }));
    expect(JSON.stringify(announce(many, cause)).length * 3).toBeLessThan(JSON.stringify(announceChanges(many, cause)).length);
  });
});

import { ProfileFeatures, TOPICS } from '@meridian/events';
import { uniqueName, waitFor } from '@meridian/shared/testing';
import { Announcement, outboxEvents } from './segments/application/segment-announcements';
import { establishedFeatures as features } from './segments/testing/sample-features';
import { SegmentationHarness, update } from './testing/segmentation-harness';

/**
 * Issue 10, streaming: segmentation as a real process against real Kafka, the MongoDB-wire
 * server and Redis. ProfileUpdated in, only what changed out on crm.segment.v1, each
 * decision announced once however often its cause is delivered; bad records dead-lettered.
 */
describe('segmentation streaming (real Kafka, MongoDB-wire server and Redis)', () => {
  const CNY = 100;
  let h: SegmentationHarness;
  const segmentEvents = (customerId: string) => h.segmentEvents(customerId);
  /** A profile gone (MERGED, ERASED): nothing held and no asOf; its record occurred at goneAt. */
  const gone: ProfileFeatures = { aumMinor: 0, productsHeld: [], txnCount30d: 0, txnCount90d: 0, txnAmount30dMinor: 0, txnAmount90dMinor: 0, tags: [] };
  const goneAt = '2026-11-30T10:00:00+08:00';

  /** Waits until the service has evaluated the customer at this profile version and settled it; answers its state document. */
  async function evaluated(customerId: string, version: number) {
    await h.evaluated([customerId], version, 60_000);
    return h.state(customerId);
  }

  beforeAll(async () => {
    h = await SegmentationHarness.start({}, { alsoRead: [TOPICS.deadLetter] });
  }, 120_000);

  afterAll(() => h?.stop());

  it('announces a first evaluation in full, then only what changed, each decision once however often its cause arrives', async () => {
    const id = uniqueName('C');
    await h.publisher.publishAll([update(id, 1, features())]);
    await evaluated(id, 1);
    await h.out.readToEnd();
    const first = segmentEvents(id);
    expect(first.filter((e) => e.type !== 'SegmentMembershipChanged').map((e) => e.type)).toEqual(['TierChanged', 'LifecycleStageChanged', 'ChurnRiskChanged', 'RfmScored']);
    expect(first[0].payload).toMatchObject({ customerId: id, to: 'GOLD' });
    expect(first[0].causationId).toBe(`profile-${id}-1-ACTIVE`);
    // Catalogue tags (tag:<CODE>), entered as the rules of tag-catalogue.v1.json say.
    const entered = first.filter((e) => e.type === 'SegmentMembershipChanged').map((e) => e.payload.segmentId);
    expect(entered).toEqual(expect.arrayContaining(['tag:PAYROLL', 'tag:GOLD_CUSTOMER']));
    expect(entered).not.toContain('tag:HIGH_NET_WORTH');

    // AUM reaches DIAMOND: the tier moves, and the tags that read AUM or the tier; nothing else.
    await h.publisher.publishAll([update(id, 2, features({ aumMinor: 6_500_000 * CNY, aumPeak90dMinor: 6_500_000 * CNY, asOf: '2026-11-30T11:00:00+08:00' }))]);
    await evaluated(id, 2);
    await h.out.readToEnd();
    const second = segmentEvents(id).slice(first.length);
    expect(second[0]).toMatchObject({ type: 'TierChanged', payload: { from: 'GOLD', to: 'DIAMOND' } });
    expect(second.slice(1).map((e) => e.type).every((t) => t === 'SegmentMembershipChanged')).toBe(true);
    expect(second.slice(1).map((e) => `${e.payload.change} ${e.payload.segmentId}`)).toEqual(expect.arrayContaining(['EXITED tag:GOLD_CUSTOMER', 'ENTERED tag:HIGH_NET_WORTH']));

    // Both versions delivered again (a republish, a replay): nothing new, nothing twice.
    await h.publisher.publishAll([update(id, 1, features()), update(id, 2, features({ aumMinor: 6_500_000 * CNY }))]);
    await h.publisher.publishAll([update(id, 3, features({ aumMinor: 6_500_000 * CNY, aumPeak90dMinor: 6_500_000 * CNY, asOf: '2026-11-30T11:00:00+08:00' }))]);
    await evaluated(id, 3);
    await h.out.readToEnd();
    const ids = segmentEvents(id).map((e) => e.eventId);
    expect(ids.length).toBe(first.length + second.length);
    expect(new Set(ids).size).toBe(ids.length);
  }, 120_000);

  it('sends what a crash left in the outbox when the records come again, and clears it', async () => {
    const id = uniqueName('C');
    await h.publisher.publishAll([update(id, 1, features({ aumMinor: 10_000 * CNY }))]);
    const doc = await evaluated(id, 1);
    // As if the process died after the write and before the publish: the outbox is still there.
    // The outbox keeps the cause and the changes; the event is made from them when sent.
    const pending = { cause: { customerId: id, cause: 'p1-pending', occurredAt: '2026-11-30T10:00:00+08:00' }, changes: [{ type: 'TierChanged', payload: { from: 'MASS', to: 'SILVER', reason: 'left by a crash' } }] };
    const [pendingEvent] = outboxEvents([pending as Announcement]);
    const body = JSON.parse(doc.body);
    await h.db.collection('segment_states').updateOne({ _id: id as never }, { $set: { body: JSON.stringify({ ...body, outbox: [pending] }) } });
    await h.redis.hset(`${h.env.MONGODB_DATABASE}:seg:settled`, id, String(doc.rev - 1));
    await h.redis.del(`${h.env.MONGODB_DATABASE}:seg:state:${id}`); // the cached copy held the outbox too
    await h.publisher.publishAll([update(id, 1, features({ aumMinor: 10_000 * CNY }))]);
    await waitFor(async () => segmentEvents(id).some((e) => e.eventId === pendingEvent.eventId), 60_000, 'the pending outbox sent');
    await evaluated(id, 1);
    expect((await h.db.collection('segment_states').findOne({ _id: id as never }))?.rev).toBe(doc.rev);
  }, 120_000);

  it('a MERGED or ERASED profile leaves every segment and keeps a tombstone a stale update cannot bring back', async () => {
    const [merged, erased] = [uniqueName('C'), uniqueName('C')];
    for (const id of [merged, erased]) await h.publisher.publishAll([update(id, 1, features())]);
    await evaluated(merged, 1);
    await evaluated(erased, 1);
    await h.publisher.publishAll([
      update(merged, 2, gone, { status: 'MERGED', mergedInto: 'C-survivor' }, goneAt),
      update(erased, 2, gone, { status: 'ERASED' }, goneAt),
    ]);
    for (const id of [merged, erased]) await evaluated(id, 2);
    await h.publisher.publishAll([update(erased, 1, features())]);
    await h.publisher.publishAll([update(erased, 3, features({ aumMinor: 1 }), { status: 'ERASED' })]);
    await h.out.readToEnd();
    for (const id of [merged, erased]) {
      const moves = segmentEvents(id).filter((e) => e.type === 'SegmentMembershipChanged');
      const held = moves.filter((e) => e.payload.change === 'ENTERED').map((e) => e.payload.segmentId).sort();
      expect(held.length).toBeGreaterThan(0);
      expect(moves.filter((e) => e.payload.change === 'EXITED').map((e) => e.payload.segmentId).sort()).toEqual(held);
    }
    const tombstone = await evaluated(erased, 3);
    expect(tombstone).toMatchObject({ status: 'ERASED', memberships: [] });
    expect(JSON.parse(tombstone.body)).not.toHaveProperty('features');
    expect((await h.db.collection('segment_states').findOne({ _id: merged as never }))).toMatchObject({ status: 'MERGED', profileVersion: 2 });
  }, 120_000);

  it('dead-letters a record it cannot apply and goes on', async () => {
    const id = uniqueName('C');
    const bad = update(id, 1, features());
    const raw = h.kafka.producer();
    await raw.connect();
    await raw.send({ topic: h.topic(TOPICS.profile), messages: [{ key: id, value: JSON.stringify({ ...bad.envelope, payload: { ...(bad.envelope.payload as object), version: 0 } }) }] });
    await raw.disconnect();
    await h.publisher.publishAll([update(id, 1, features())]);
    await evaluated(id, 1);
    await waitFor(
      () => h.out.json<{ payload: { rawValue: string; reason: { field?: string } } }>(h.topic(TOPICS.deadLetter)).some((d) => Buffer.from(d.payload.rawValue, 'base64').toString().includes(id)),
      60_000,
      'the bad record dead-lettered',
    );
  }, 120_000);
});

import { EnvelopeInit, ProfileFeatures, ProfileUpdated, TOPICS } from '@meridian/events';
import { EventPublisher, ensureTopics, newEnvelope } from '@meridian/events/kafka';
import { ServiceProcess, TopicReader, freePort, serviceTestEnv, startService, testKafka, testServers, uniqueName, waitFor } from '@meridian/shared/testing';
import Redis from 'ioredis';
import { Kafka } from 'kafkajs';
import mongoose, { Connection } from 'mongoose';
import { Announcement, outboxEvents } from './segments/application/segment-announcements';

/**
 * Issue 10, streaming: segmentation as a real process against real Kafka, the MongoDB-wire
 * server and Redis. ProfileUpdated in, only what changed out on crm.segment.v1, each
 * decision announced once however often its cause is delivered; bad records dead-lettered.
 */
describe('segmentation streaming (real Kafka, MongoDB-wire server and Redis)', () => {
  const CNY = 100;
  let env: Record<string, string>;
  let service: ServiceProcess;
  let kafka: Kafka;
  let publisher: EventPublisher;
  let out: TopicReader;
  let db: Connection;
  let redis: Redis;

  const topic = (t: string) => env.KAFKA_TOPIC_PREFIX + t;
  type Out = { eventId: string; type: string; customerId: string; causationId?: string; payload: any };
  const segmentEvents = (customerId: string) => out.json<Out>(topic(TOPICS.segment)).filter((e) => e.customerId === customerId);

  function features(over: Partial<ProfileFeatures> = {}): ProfileFeatures {
    return {
      aumMinor: 600_000 * CNY,
      productsHeld: ['DEPOSIT_CURRENT', 'WEALTH'],
      txnCount30d: 12,
      txnCount90d: 30,
      txnAmount30dMinor: 40_000 * CNY,
      txnAmount90dMinor: 120_000 * CNY,
      tags: ['PAYROLL'],
      firstProductAt: '2024-01-10T09:00:00+08:00',
      lastTransactionAt: '2026-11-30T10:00:00+08:00',
      lastActivityAt: '2026-11-30T10:00:00+08:00',
      txnCountPrior60d: 18,
      aumPeak90dMinor: 620_000 * CNY,
      asOf: '2026-11-30T10:00:00+08:00',
      ...over,
    };
  }

  function update(customerId: string, version: number, f: ProfileFeatures, over: Partial<ProfileUpdated> = {}): { topic: string; envelope: EnvelopeInit } {
    const payload: ProfileUpdated = { customerId, version, changedFields: ['aumMinor'], features: f, ...over };
    const envelope = newEnvelope('ProfileUpdated', payload, { eventId: `profile-${customerId}-${version}-${over.status ?? 'ACTIVE'}`, source: 'meridian-profile', customerId, occurredAt: f.asOf ?? '2026-11-30T10:00:00+08:00' });
    return { topic: TOPICS.profile, envelope };
  }

  /** The newest write of the customer whose outbox and effects are done (apps/segmentation …/redis-settled-writes.ts). */
  const settledRev = async (customerId: string) => Number((await redis.hget(`${env.MONGODB_DATABASE}:seg:settled`, customerId)) ?? 0);

  /** Waits until the service has evaluated the customer at this profile version (its state document says so). */
  async function evaluated(customerId: string, version: number) {
    return waitFor(async () => {
      const doc = await db.collection('segment_states').findOne({ _id: customerId as never });
      return doc && doc.profileVersion >= version && (await settledRev(customerId)) >= doc.rev ? doc : undefined;
    }, 60_000, `${customerId} evaluated at version ${version}`);
  }

  beforeAll(async () => {
    env = serviceTestEnv('segmentation', { PORT: String(await freePort()) });
    kafka = testKafka();
    await ensureTopics(kafka, Object.values(TOPICS).map((t) => ({ topic: t })), { topicPrefix: env.KAFKA_TOPIC_PREFIX });
    service = await startService('segmentation', env);
    publisher = new EventPublisher(kafka, { topicPrefix: env.KAFKA_TOPIC_PREFIX });
    out = await new TopicReader(kafka, [topic(TOPICS.segment), topic(TOPICS.deadLetter)]).start();
    db = await mongoose.createConnection(testServers().mongoUri, { dbName: env.MONGODB_DATABASE }).asPromise();
    redis = new Redis(testServers().redisUrl);
    await waitFor(async () => (await fetch(`${service.url}/health`)).status === 200, 60_000, 'segmentation healthy');
  }, 120_000);

  afterAll(async () => {
    if (process.env.SEGMENTATION_TEST_DEBUG) console.log(service?.output());
    await service?.stop();
    await out?.stop();
    await publisher?.disconnect();
    if (db?.name.startsWith('test_')) await db.dropDatabase();
    await db?.close();
    redis?.disconnect();
  });

  it('announces a first evaluation in full, then only what changed, each decision once however often its cause arrives', async () => {
    const id = uniqueName('C');
    await publisher.publishAll([update(id, 1, features())]);
    await evaluated(id, 1);
    await out.readToEnd();
    const first = segmentEvents(id);
    expect(first.filter((e) => e.type !== 'SegmentMembershipChanged').map((e) => e.type)).toEqual(['TierChanged', 'LifecycleStageChanged', 'ChurnRiskChanged', 'RfmScored']);
    expect(first[0].payload).toMatchObject({ customerId: id, to: 'GOLD' });
    expect(first[0].causationId).toBe(`profile-${id}-1-ACTIVE`);
    // Catalogue tags (tag:<CODE>), entered as the rules of tag-catalogue.v1.json say.
    const entered = first.filter((e) => e.type === 'SegmentMembershipChanged').map((e) => e.payload.segmentId);
    expect(entered).toEqual(expect.arrayContaining(['tag:PAYROLL', 'tag:GOLD_CUSTOMER']));
    expect(entered).not.toContain('tag:HIGH_NET_WORTH');

    // AUM reaches DIAMOND: the tier moves, and the tags that read AUM or the tier; nothing else.
    await publisher.publishAll([update(id, 2, features({ aumMinor: 6_500_000 * CNY, aumPeak90dMinor: 6_500_000 * CNY, asOf: '2026-11-30T11:00:00+08:00' }))]);
    await evaluated(id, 2);
    await out.readToEnd();
    const second = segmentEvents(id).slice(first.length);
    expect(second[0]).toMatchObject({ type: 'TierChanged', payload: { from: 'GOLD', to: 'DIAMOND' } });
    expect(second.slice(1).map((e) => e.type).every((t) => t === 'SegmentMembershipChanged')).toBe(true);
    expect(second.slice(1).map((e) => `${e.payload.change} ${e.payload.segmentId}`)).toEqual(expect.arrayContaining(['EXITED tag:GOLD_CUSTOMER', 'ENTERED tag:HIGH_NET_WORTH']));

    // Both versions delivered again (a republish, a replay): nothing new, nothing twice.
    await publisher.publishAll([update(id, 1, features()), update(id, 2, features({ aumMinor: 6_500_000 * CNY }))]);
    await publisher.publishAll([update(id, 3, features({ aumMinor: 6_500_000 * CNY, aumPeak90dMinor: 6_500_000 * CNY, asOf: '2026-11-30T11:00:00+08:00' }))]);
    await evaluated(id, 3);
    await out.readToEnd();
    const ids = segmentEvents(id).map((e) => e.eventId);
    expect(ids.length).toBe(first.length + second.length);
    expect(new Set(ids).size).toBe(ids.length);
  }, 120_000);

  it('sends what a crash left in the outbox when the records come again, and clears it', async () => {
    const id = uniqueName('C');
    await publisher.publishAll([update(id, 1, features({ aumMinor: 10_000 * CNY }))]);
    const doc = await evaluated(id, 1);
    // As if the process died after the write and before the publish: the outbox is still there.
    // The outbox keeps the cause and the changes; the event is made from them when sent.
    const pending = { cause: { customerId: id, cause: 'p1-pending', occurredAt: '2026-11-30T10:00:00+08:00' }, changes: [{ type: 'TierChanged', payload: { from: 'MASS', to: 'SILVER', reason: 'left by a crash' } }] };
    const [pendingEvent] = outboxEvents([pending as Announcement]);
    const body = JSON.parse(doc.body);
    await db.collection('segment_states').updateOne({ _id: id as never }, { $set: { body: JSON.stringify({ ...body, outbox: [pending] }) } });
    await redis.hset(`${env.MONGODB_DATABASE}:seg:settled`, id, String(doc.rev - 1));
    await redis.del(`${env.MONGODB_DATABASE}:seg:state:${id}`); // the cached copy held the outbox too
    await publisher.publishAll([update(id, 1, features({ aumMinor: 10_000 * CNY }))]);
    await waitFor(async () => segmentEvents(id).some((e) => e.eventId === pendingEvent.eventId), 60_000, 'the pending outbox sent');
    await evaluated(id, 1);
    expect((await db.collection('segment_states').findOne({ _id: id as never }))?.rev).toBe(doc.rev);
  }, 120_000);

  it('a MERGED or ERASED profile leaves every segment and keeps a tombstone a stale update cannot bring back', async () => {
    const [merged, erased] = [uniqueName('C'), uniqueName('C')];
    for (const id of [merged, erased]) await publisher.publishAll([update(id, 1, features())]);
    await evaluated(merged, 1);
    await evaluated(erased, 1);
    await publisher.publishAll([
      update(merged, 2, { aumMinor: 0, productsHeld: [], txnCount30d: 0, txnCount90d: 0, txnAmount30dMinor: 0, txnAmount90dMinor: 0, tags: [] }, { status: 'MERGED', mergedInto: 'C-survivor' }),
      update(erased, 2, { aumMinor: 0, productsHeld: [], txnCount30d: 0, txnCount90d: 0, txnAmount30dMinor: 0, txnAmount90dMinor: 0, tags: [] }, { status: 'ERASED' }),
    ]);
    for (const id of [merged, erased]) await evaluated(id, 2);
    await publisher.publishAll([update(erased, 1, features())]);
    await publisher.publishAll([update(erased, 3, features({ aumMinor: 1 }), { status: 'ERASED' })]);
    await out.readToEnd();
    for (const id of [merged, erased]) {
      const moves = segmentEvents(id).filter((e) => e.type === 'SegmentMembershipChanged');
      const held = moves.filter((e) => e.payload.change === 'ENTERED').map((e) => e.payload.segmentId).sort();
      expect(held.length).toBeGreaterThan(0);
      expect(moves.filter((e) => e.payload.change === 'EXITED').map((e) => e.payload.segmentId).sort()).toEqual(held);
    }
    const tombstone = await evaluated(erased, 3);
    expect(tombstone).toMatchObject({ status: 'ERASED', memberships: [] });
    expect(JSON.parse(tombstone.body)).not.toHaveProperty('features');
    expect((await db.collection('segment_states').findOne({ _id: merged as never }))).toMatchObject({ status: 'MERGED', profileVersion: 2 });
  }, 120_000);

  it('dead-letters a record it cannot apply and goes on', async () => {
    const id = uniqueName('C');
    const bad = update(id, 1, features());
    const raw = kafka.producer();
    await raw.connect();
    await raw.send({ topic: topic(TOPICS.profile), messages: [{ key: id, value: JSON.stringify({ ...bad.envelope, payload: { ...(bad.envelope.payload as object), version: 0 } }) }] });
    await raw.disconnect();
    await publisher.publishAll([update(id, 1, features())]);
    await evaluated(id, 1);
    await waitFor(
      () => out.json<{ payload: { rawValue: string; reason: { field?: string } } }>(topic(TOPICS.deadLetter)).some((d) => Buffer.from(d.payload.rawValue, 'base64').toString().includes(id)),
      60_000,
      'the bad record dead-lettered',
    );
  }, 120_000);
});

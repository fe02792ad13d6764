import { EnvelopeInit, ProfileFeatures, ProfileUpdated, Role, TOPICS } from '@meridian/events';
import { EventPublisher, ensureTopics, newEnvelope } from '@meridian/events/kafka';
import { ServiceProcess, TopicReader, freePort, serviceTestEnv, signTestToken, startService, testKafka, testServers, uniqueName, waitFor } from '@meridian/shared/testing';
import Redis from 'ioredis';
import { Kafka } from 'kafkajs';
import mongoose, { Connection } from 'mongoose';
import { countersOf } from './segments/domain/segment-effects';

/**
 * Issue 10, "the time that passes": customers move with no new event, time advanced only
 * through POST /v1/sweeps {asOf}; a sweep killed mid-way resumes and announces every due
 * change once.
 */
describe('segmentation sweep (real Kafka, MongoDB-wire server and Redis)', () => {
  const CNY = 100;
  const DAY = 86_400_000;
  let env: Record<string, string>;
  let service: ServiceProcess;
  let kafka: Kafka;
  let publisher: EventPublisher;
  let out: TopicReader;
  let db: Connection;
  let redis: Redis;

  const topic = (t: string) => env.KAFKA_TOPIC_PREFIX + t;
  type Out = { eventId: string; type: string; customerId: string; payload: any };
  const segmentEvents = (customerId?: string) => out.json<Out>(topic(TOPICS.segment)).filter((e) => !customerId || e.customerId === customerId);
  const day = (start: string, n: number) => new Date(Date.parse(start) + n * DAY).toISOString();

  function features(over: Partial<ProfileFeatures>): ProfileFeatures {
    return { aumMinor: 600_000 * CNY, productsHeld: ['DEPOSIT_CURRENT'], txnCount30d: 4, txnCount90d: 10, txnAmount30dMinor: 8_000 * CNY, txnAmount90dMinor: 20_000 * CNY, tags: [], firstProductAt: '2024-01-01T00:00:00Z', txnCountPrior60d: 6, ...over };
  }
  function update(customerId: string, version: number, f: ProfileFeatures): { topic: string; envelope: EnvelopeInit } {
    const payload: ProfileUpdated = { customerId, version, changedFields: ['aumMinor'], features: f };
    return { topic: TOPICS.profile, envelope: newEnvelope('ProfileUpdated', payload, { eventId: `profile-${customerId}-${version}-ACTIVE`, source: 'meridian-profile', customerId, occurredAt: f.asOf as string }) };
  }
  /** The newest write of the customer whose outbox and effects are done (apps/segmentation …/redis-settled-writes.ts). */
  const settledRev = async (customerId: string) => Number((await redis.hget(`${env.MONGODB_DATABASE}:seg:settled`, customerId)) ?? 0);
  async function evaluated(customerId: string, version: number) {
    await waitFor(async () => {
      const doc = await db.collection('segment_states').findOne({ _id: customerId as never });
      return !!doc && doc.profileVersion >= version && (await settledRev(customerId)) >= doc.rev;
    }, 60_000, `${customerId} evaluated at version ${version}`);
  }
  const token = (roles: Role[]) => signTestToken(env.JWT_SECRET, { roles, sub: 'ops-1', branchId: 'HQ' });
  async function http(method: string, path: string, roles: Role[], body?: unknown, url = service.url) {
    const res = await fetch(url + path, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${await token(roles)}` }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any };
  }
  /** POST /v1/sweeps, then waits until that sweep has finished; answers its record. */
  async function sweep(asOf: string) {
    const started = await http('POST', '/v1/sweeps', ['ADMIN'], { asOf });
    expect(started.status).toBe(202);
    const done = await waitFor(async () => {
      const r = await http('GET', `/v1/sweeps/${encodeURIComponent(started.body._id)}`, ['ADMIN']);
      return r.body.finishedAt ? r.body : undefined;
    }, 60_000, `sweep ${asOf} finished`);
    await out.readToEnd();
    return done;
  }

  async function startSegmentation() {
    service = await startService('segmentation', env);
    await waitFor(async () => (await fetch(`${service.url}/health`)).status === 200, 60_000, 'segmentation healthy');
  }

  beforeAll(async () => {
    env = serviceTestEnv('segmentation', { PORT: String(await freePort()), SEGMENT_SWEEP_PARTITIONS: '8', SEGMENT_SWEEP_BATCH: '20', SEGMENT_SWEEP_LOCK_SECONDS: '10' });
    kafka = testKafka();
    await ensureTopics(kafka, Object.values(TOPICS).map((t) => ({ topic: t })), { topicPrefix: env.KAFKA_TOPIC_PREFIX });
    await startSegmentation();
    publisher = new EventPublisher(kafka, { topicPrefix: env.KAFKA_TOPIC_PREFIX });
    out = await new TopicReader(kafka, [topic(TOPICS.segment)]).start();
    db = await mongoose.createConnection(testServers().mongoUri, { dbName: env.MONGODB_DATABASE }).asPromise();
    redis = new Redis(testServers().redisUrl);
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

  it('moves a silent customer ACTIVE → AT_RISK at 90 days and → DORMANT at 180, and downgrades a tier only after 30 days below it', async () => {
    const T = '2026-01-05T02:00:00.000Z';
    const [silent, poorer] = [uniqueName('C'), uniqueName('C')];
    await publisher.publishAll([update(silent, 1, features({ lastTransactionAt: T, lastActivityAt: T, asOf: day(T, 1) }))]);
    // GOLD, then AUM below the GOLD threshold on day 10 (and active all along, so only the tier is at stake).
    await publisher.publishAll([update(poorer, 1, features({ lastTransactionAt: day(T, 1), lastActivityAt: day(T, 1), asOf: day(T, 1) }))]);
    await publisher.publishAll([update(poorer, 2, features({ aumMinor: 300_000 * CNY, lastTransactionAt: day(T, 10), lastActivityAt: day(T, 10), asOf: day(T, 10) }))]);
    await evaluated(silent, 1);
    await evaluated(poorer, 2);
    await out.readToEnd();
    const stages = () => segmentEvents(silent).filter((e) => e.type === 'LifecycleStageChanged').map((e) => e.payload.to);
    const tiers = () => segmentEvents(poorer).filter((e) => e.type === 'TierChanged').map((e) => `${e.payload.from ?? ''}→${e.payload.to}`);
    expect(stages()).toEqual(['ACTIVE']);
    expect(tiers()).toEqual(['→GOLD']);

    await sweep(day(T, 39)); // poorer: 29 days below
    expect(tiers()).toEqual(['→GOLD']);
    await sweep(day(T, 40)); // 30 days below
    expect(tiers()).toEqual(['→GOLD', 'GOLD→SILVER']);

    await sweep(day(T, 89));
    expect(stages()).toEqual(['ACTIVE']);
    await sweep(day(T, 90));
    expect(stages()).toEqual(['ACTIVE', 'AT_RISK']);
    await sweep(day(T, 179));
    expect(stages()).toEqual(['ACTIVE', 'AT_RISK']);
    const dormant = await sweep(day(T, 180));
    expect(stages()).toEqual(['ACTIVE', 'AT_RISK', 'DORMANT']);
    expect(segmentEvents(silent).find((e) => e.type === 'LifecycleStageChanged' && e.payload.to === 'DORMANT')?.payload.reason).toMatch(/180 days/);
    // It read only who was due, not the base.
    expect(dormant.read).toBeLessThanOrEqual(2);
    // Sweeping the same instant again changes nothing.
    const before = segmentEvents().length;
    await sweep(day(T, 180));
    expect(segmentEvents().length).toBe(before);
  }, 180_000);

  it('a sweep killed mid-way resumes where it stopped, and every due change is announced once', async () => {
    const T = '2026-03-01T02:00:00.000Z';
    const ids = Array.from({ length: 600 }, () => uniqueName('K'));
    await publisher.publishAll(ids.map((id) => update(id, 1, features({ lastTransactionAt: T, lastActivityAt: T, asOf: day(T, 1) }))));
    for (const id of [ids[0], ids[ids.length - 1]]) await evaluated(id, 1);
    await waitFor(async () => (await redis.hmget(`${env.MONGODB_DATABASE}:seg:settled`, ...ids)).every((rev) => rev !== null), 120_000, 'all evaluated');

    const started = await http('POST', '/v1/sweeps', ['ADMIN'], { asOf: day(T, 95) });
    expect(started.status).toBe(202);
    // A bad instant is refused, naming the field.
    const bad = await http('POST', '/v1/sweeps', ['ADMIN'], { asOf: 'yesterday' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('asOf');
    // One sweep at a time.
    expect((await http('POST', '/v1/sweeps', ['SYSTEM'], { asOf: day(T, 96) })).status).toBe(409);
    const midway = await waitFor(async () => {
      const r = await http('GET', `/v1/sweeps/${encodeURIComponent(started.body._id)}`, ['AUDITOR']);
      return r.body.partitionsDone?.length >= 1 ? r.body : undefined;
    }, 60_000, 'a partition swept');
    service.process.kill('SIGKILL');
    await service.exited;
    expect(midway.finishedAt).toBeUndefined();
    expect(midway.partitionsDone.length).toBeLessThan(8);

    // Restarted (the lease of the dead one runs out), it resumes the unfinished sweep by itself.
    await startSegmentation();
    const finished = await waitFor(async () => {
      const r = await http('GET', `/v1/sweeps/${encodeURIComponent(started.body._id)}`, ['ADMIN']);
      return r.body.finishedAt ? r.body : undefined;
    }, 150_000, 'the sweep resumed and finished');
    expect(finished.partitionsDone.sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    await out.readToEnd();

    const atRisk = segmentEvents().filter((e) => ids.includes(e.customerId) && e.type === 'LifecycleStageChanged' && e.payload.to === 'AT_RISK');
    const eventIdsPerCustomer = new Map<string, Set<string>>();
    for (const e of atRisk) eventIdsPerCustomer.set(e.customerId, new Set([...(eventIdsPerCustomer.get(e.customerId) ?? []), e.eventId]));
    // Every due customer moved, each by one decision (a record sent again after the kill carries the same eventId).
    expect(eventIdsPerCustomer.size).toBe(ids.length);
    expect([...eventIdsPerCustomer.values()].every((s) => s.size === 1)).toBe(true);

    // Reconciliation: the counters kept as changes happened (analytics, segment sizes) equal a recount of the stored states.
    const recount: Record<string, number> = {};
    for (const doc of await db.collection('segment_states').find({ status: 'ACTIVE' }).toArray()) {
      for (const [k, v] of Object.entries(countersOf({ ...doc, ...JSON.parse(doc.body) } as never))) recount[k] = (recount[k] ?? 0) + v;
    }
    const kept = Object.fromEntries(Object.entries(await redis.hgetall(`${env.MONGODB_DATABASE}:seg:counters`)).map(([k, v]) => [k, Number(v)]).filter(([, v]) => v !== 0));
    expect(kept).toEqual(Object.fromEntries(Object.entries(recount).filter(([, v]) => v !== 0)));
    expect(recount['n|stage|AT_RISK|-']).toBeGreaterThanOrEqual(ids.length);
  }, 300_000);
});

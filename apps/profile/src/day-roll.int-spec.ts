import { EnvelopeInit, Role, TOPICS } from '@meridian/events';
import { residentId, sampleEnvelope } from '@meridian/events/testing';
import { EventPublisher, ensureTopics } from '@meridian/events/kafka';
import { ServiceProcess, TopicReader, freePort, serviceTestEnv, signTestToken, startService, testKafka, testServers, uniqueName, waitFor } from '@meridian/shared/testing';
import { Kafka } from 'kafkajs';
import mongoose, { Connection } from 'mongoose';

/**
 * Issue 10, point 5 (the profile side): windowed figures move with no new event, time
 * advanced only through POST /v1/sweeps {asOf} on the profile service — ProfileUpdated is
 * re-announced for who changed, read from the due index only; a roll killed mid-way resumes
 * and announces each change once.
 */
describe('profile day roll (real Kafka, MongoDB-wire server and Redis)', () => {
  const DAY = 86_400_000;
  let env: Record<string, string>;
  let profile: ServiceProcess;
  let kafka: Kafka;
  let publisher: EventPublisher;
  let out: TopicReader;
  let db: Connection;
  let n = 0;

  const topic = (t: string) => env.KAFKA_TOPIC_PREFIX + t;
  type Update = { eventId: string; occurredAt: string; causationId?: string; payload: { customerId: string; version: number; changedFields: string[]; features: Record<string, any> } };
  const updates = (customerId?: string) => out.json<Update>(topic(TOPICS.profile)).filter((u) => !customerId || u.payload.customerId === customerId);
  const day = (start: string, k: number) => new Date(Date.parse(start) + k * DAY).toISOString();
  const token = (roles: Role[]) => signTestToken(env.JWT_SECRET, { roles, sub: 'ops-1', branchId: 'HQ' });
  async function http(method: string, path: string, roles: Role[], body?: unknown) {
    const res = await fetch(profile.url + path, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${await token(roles)}` }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any };
  }
  /** POST /v1/sweeps, then waits until that roll has finished; answers its record. */
  async function roll(asOf: string) {
    const started = await http('POST', '/v1/sweeps', ['ADMIN'], { asOf });
    expect(started.status).toBe(202);
    const done = await waitFor(async () => {
      const r = await http('GET', `/v1/sweeps/${encodeURIComponent(started.body._id)}`, ['AUDITOR']);
      return r.body.finishedAt ? r.body : undefined;
    }, 60_000, `roll ${asOf} finished`);
    await out.readToEnd();
    return done;
  }

  /** A customer and purchases, as ingest publishes them (birthday 14 February: no age change in the days rolled). */
  function story(customerId: string, at: string, purchases: number[]) {
    const ev = (t: string, type: string, payload: Record<string, unknown>): { topic: string; envelope: EnvelopeInit } => {
      const e = sampleEnvelope(t, type, { customerId, occurredAt: at, eventId: `${customerId}-${++n}` });
      Object.assign(e.payload as object, payload);
      return { topic: t, envelope: e };
    };
    return [
      ev(TOPICS.customer, 'CustomerUpserted', { sourceCustomerId: `S-${customerId}`, idNumber: residentId('19880214', '110105', String(100 + (n % 800))), birthDate: undefined, branchId: 'BR001' }),
      ...purchases.map((amountMinor) => ev(TOPICS.transaction, 'TransactionPosted', { transactionId: `T${n}`, amountMinor, balanceAfterMinor: undefined, category: 'PURCHASE', direction: 'DEBIT', bookedAt: at })),
    ];
  }
  async function folded(customerId: string, version: number) {
    await waitFor(async () => (await db.collection('profiles').findOne({ _id: customerId as never }))?.version >= version, 60_000, `${customerId} folded to version ${version}`);
  }

  async function startProfile() {
    profile = await startService('profile', env);
    await waitFor(async () => (await fetch(`${profile.url}/health`)).status === 200, 60_000, 'profile healthy');
  }

  beforeAll(async () => {
    env = serviceTestEnv('profile', { PORT: String(await freePort()), PROFILE_ROLL_PARTITIONS: '8', PROFILE_ROLL_BATCH: '20', PROFILE_ROLL_LOCK_SECONDS: '10' });
    kafka = testKafka();
    await ensureTopics(kafka, Object.values(TOPICS).map((t) => ({ topic: t })), { topicPrefix: env.KAFKA_TOPIC_PREFIX });
    await startProfile();
    publisher = new EventPublisher(kafka, { topicPrefix: env.KAFKA_TOPIC_PREFIX });
    out = await new TopicReader(kafka, [topic(TOPICS.profile)]).start();
    db = await mongoose.createConnection(testServers().mongoUri, { dbName: env.MONGODB_DATABASE }).asPromise();
  }, 120_000);

  afterAll(async () => {
    if (process.env.PROFILE_TEST_DEBUG) console.log(profile?.output());
    await profile?.stop();
    await out?.stop();
    await publisher?.disconnect();
    if (db?.name.startsWith('test_')) await db.dropDatabase();
    await db?.close();
  });

  it('re-announces a silent customer when purchases leave the 30-day window and then the 90-day one, reading only who is due', async () => {
    const T = '2026-03-01T10:00:00+08:00';
    const [buyer, quiet] = [uniqueName('R').toUpperCase(), uniqueName('Q').toUpperCase()];
    await publisher.publishAll([...story(buyer, T, [100_00, 250_00]), ...story(quiet, T, [])]);
    await folded(buyer, 3);
    await folded(quiet, 1);
    await out.readToEnd();
    const last = () => updates(buyer).sort((a, b) => a.payload.version - b.payload.version).at(-1) as Update;
    // Both customers' announcements read back before counting (under load the quiet one's can come a moment later).
    await waitFor(async () => (last()?.payload.version === 3 && updates(quiet).length === 1) || (await out.readToEnd(), false), 30_000, 'the folds announced');
    expect(last().payload.features).toMatchObject({ txnCount30d: 2, txnCount90d: 2, txnAmount30dMinor: 350_00 });
    const count = () => updates().filter((u) => [buyer, quiet].includes(u.payload.customerId)).length;
    const announcedBefore = count();

    // Day 29: the purchases are still within 30 days; nobody is due.
    const day29 = await roll(day(T, 29));
    expect(day29).toMatchObject({ read: 0, rolled: 0, published: 0, partitionsDone: expect.any(Array) });
    expect(count()).toBe(announcedBefore);

    // Day 30: out of the 30-day window, still in the 90-day one.
    const day30 = await roll(day(T, 30));
    expect(day30).toMatchObject({ read: 1, rolled: 1, published: 1 });
    expect(count()).toBe(announcedBefore + 1);
    expect(last().payload).toMatchObject({ version: 4, features: { txnCount30d: 0, txnAmount30dMinor: 0, txnCount90d: 2, txnCountPrior60d: 2, asOf: day(T, 30) } });
    expect(last().payload.changedFields).toEqual(expect.arrayContaining(['txnCount30d', 'txnAmount30dMinor', 'txnCountPrior60d', 'asOf']));
    expect(last()).toMatchObject({ eventId: `profile-${buyer}-4-ACTIVE`, occurredAt: day(T, 30) });

    // Days 31 and 89: no figure moves, nothing is read or announced.
    for (const k of [31, 89]) {
      const r = await roll(day(T, k));
      expect(r).toMatchObject({ read: 0, rolled: 0, published: 0 });
      expect(count()).toBe(announcedBefore + 1);
    }
    // The same instant again: the roll it was, nothing more.
    expect(await roll(day(T, 30))).toEqual(day30);
    expect(count()).toBe(announcedBefore + 1);

    // Day 90: out of the 90-day window too.
    const day90 = await roll(day(T, 90));
    expect(day90).toMatchObject({ read: 1, rolled: 1, published: 1 });
    expect(last().payload).toMatchObject({ version: 5, features: { txnCount30d: 0, txnCount90d: 0, txnAmount90dMinor: 0, txnCountPrior60d: 0 } });
    expect(updates(quiet).length).toBe(1);

    // Operations only: AUDITOR follows a roll but does not start one.
    expect((await http('POST', '/v1/sweeps', ['AUDITOR'], { asOf: day(T, 91) })).status).toBe(403);
    expect((await http('GET', `/v1/sweeps/${encodeURIComponent(day90._id)}`, ['RM'])).status).toBe(403);
    expect((await http('GET', '/v1/sweeps/2000-01-01T00:00:00.000Z', ['SYSTEM'])).status).toBe(404);
  }, 240_000);

  it('a merge after a roll does not move the survivor back in time, and a merged pointer is rolled no more', async () => {
    const T = '2026-09-01T10:00:00+08:00';
    const [survivor, merged] = [uniqueName('S').toUpperCase(), uniqueName('M').toUpperCase()];
    await publisher.publishAll([...story(survivor, T, [10_00]), ...story(merged, T, [20_00])]);
    await folded(survivor, 2);
    await folded(merged, 2);
    await roll(day(T, 30));
    const latest = (id: string) => updates(id).sort((a, b) => a.payload.version - b.payload.version).at(-1) as Update;
    expect(latest(survivor).payload).toMatchObject({ version: 3, features: { txnCount30d: 0, txnCount90d: 1 } });

    const merge = sampleEnvelope(TOPICS.governance, 'IdentityMerged', { customerId: survivor, eventId: uniqueName('merge'), occurredAt: day(T, 31) });
    merge.payload = { mergeId: uniqueName('MG'), survivorId: survivor, mergedId: merged, evidence: [{ kind: 'ID_NUMBER', keyHash: 'b'.repeat(64) }] };
    await publisher.publishAll([{ topic: TOPICS.governance, envelope: merge }]);
    const rebuilt = await waitFor(async () => {
      await out.readToEnd();
      const u = latest(survivor);
      return u.payload.version > 3 ? u : undefined;
    }, 60_000, 'the survivor rebuilt');
    // Both purchases, both still out of the 30 days: "now" stayed at the roll's instant.
    expect(rebuilt.payload.features).toMatchObject({ txnCount30d: 0, txnCount90d: 2, txnAmount90dMinor: 30_00, asOf: day(T, 30) });
    const mergedUpdates = updates(merged).length;

    await roll(day(T, 90));
    expect(latest(survivor).payload).toMatchObject({ version: rebuilt.payload.version + 1, features: { txnCount90d: 0 } });
    expect(updates(merged).length).toBe(mergedUpdates);
  }, 180_000);

  it('a roll killed mid-way resumes where it stopped, and every change is announced once', async () => {
    const T = '2026-06-01T10:00:00+08:00';
    const ids = Array.from({ length: 400 }, () => uniqueName('K').toUpperCase());
    await publisher.publishAll(ids.flatMap((id) => story(id, T, [10_00])));
    await waitFor(async () => (await db.collection('profiles').countDocuments({ _id: { $in: ids } as never, version: 2 } as never)) === ids.length, 120_000, 'all folded');

    const started = await http('POST', '/v1/sweeps', ['SYSTEM'], { asOf: day(T, 30) });
    expect(started.status).toBe(202);
    // One roll at a time.
    expect((await http('POST', '/v1/sweeps', ['ADMIN'], { asOf: day(T, 31) })).status).toBe(409);
    const midway = await waitFor(async () => {
      const r = await http('GET', `/v1/sweeps/${encodeURIComponent(started.body._id)}`, ['AUDITOR']);
      return r.body.partitionsDone?.length >= 1 ? r.body : undefined;
    }, 60_000, 'a partition rolled');
    profile.process.kill('SIGKILL');
    await profile.exited;
    expect(midway.finishedAt).toBeUndefined();
    expect(midway.partitionsDone.length).toBeLessThan(8);

    // Restarted (the dead one's lease runs out), it resumes the unfinished roll by itself.
    await startProfile();
    const finished = await waitFor(async () => {
      const r = await http('GET', `/v1/sweeps/${encodeURIComponent(started.body._id)}`, ['ADMIN']);
      return r.body.finishedAt ? r.body : undefined;
    }, 150_000, 'the roll resumed and finished');
    expect([...finished.partitionsDone].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    await out.readToEnd();

    const rolled = updates().filter((u) => ids.includes(u.payload.customerId) && u.causationId?.startsWith('roll-'));
    const eventIds = new Map<string, Set<string>>();
    for (const u of rolled) eventIds.set(u.payload.customerId, new Set([...(eventIds.get(u.payload.customerId) ?? []), u.eventId]));
    // Every customer re-announced, by one event each (one sent again after the kill carries the same eventId).
    expect(eventIds.size).toBe(ids.length);
    expect([...eventIds.values()].every((s) => s.size === 1)).toBe(true);
    expect(rolled.every((u) => u.payload.features.txnCount30d === 0 && u.payload.version === 3)).toBe(true);
  }, 300_000);
});

import { EnvelopeInit, Role, TOPICS } from '@meridian/events';
import { residentId, sampleEnvelope } from '@meridian/events/testing';
import { EventPublisher, ensureTopics } from '@meridian/events/kafka';
import { FieldEncryption, randomKeyBase64 } from '@meridian/shared';
import { ServiceProcess, freePort, serviceTestEnv, signTestToken, spawnService, startService, testKafka, testServers, uniqueName, waitFor } from '@meridian/shared/testing';
import { Kafka } from 'kafkajs';
import mongoose, { Connection } from 'mongoose';

interface RewrapStatus {
  currentKeyId: string;
  previousKeyIds: string[];
  stillNeeded: string[];
  removable: string[];
  run: null | { runId: string; phase: string; startedAt: string; finishedAt?: string; keys: Array<{ keyId: string; dataKeys: number; rewrapped: number; remaining: number }> };
}

/**
 * Issue 9, point 5 "must show" (ADR 0008): master key rotation end to end, the built profile
 * service as a real process against real Kafka, a MongoDB-wire server and Redis — data written
 * under A; B with A listed reads everything and re-wraps it; a run killed mid-way resumes; a
 * start without A too early, or with a key the data never knew, exits naming the variable;
 * after the run, B alone reads everything.
 */
describe('master key rotation (real processes)', () => {
  const [A, B] = [randomKeyBase64(), randomKeyBase64()];
  const [idA, idB] = [new FieldEncryption(A).keyCheck(), new FieldEncryption(B).keyCheck()];
  let env: Record<string, string>;
  let kafka: Kafka;
  let publisher: EventPublisher;
  let db: Connection;
  const procs: ServiceProcess[] = [];
  const customers = Array.from({ length: 12 }, (_, i) => uniqueName(`R${i}`).toUpperCase());

  const token = (roles: Role[]) => signTestToken(env.JWT_SECRET, { roles, sub: 'admin-1', branchId: 'BR001' });
  async function call(proc: ServiceProcess, method: string, path: string, roles: Role[]) {
    const res = await fetch(proc.url + path, { method, headers: { authorization: `Bearer ${await token(roles)}`, 'x-access-purpose': 'key rotation check' } });
    return { status: res.status, body: (await res.json()) as any };
  }
  const status = async (proc: ServiceProcess) => (await call(proc, 'GET', '/v1/admin/keys/rewrap', ['ADMIN'])).body as RewrapStatus;
  async function start(keys: Record<string, string>): Promise<ServiceProcess> {
    const proc = await startService('profile', { ...env, PORT: String(await freePort()), ...keys });
    procs.push(proc);
    await waitFor(async () => (await fetch(`${proc.url}/health`)).status === 200, 60_000, 'profile healthy');
    return proc;
  }
  /** Every customer's profile opens: its sealed state decrypts under the data key the master keys unwrap. */
  async function allReadable(proc: ServiceProcess, ids: string[]) {
    for (const id of ids) {
      const view = await call(proc, 'GET', `/v1/customers/${id}`, ['BRANCH_MANAGER']);
      expect([id, view.status, view.body.identity?.name]).toEqual([id, 200, `客户${id.slice(0, 4)}`]);
    }
  }
  function customerUpserted(customerId: string, i: number): { topic: string; envelope: EnvelopeInit } {
    const e = sampleEnvelope(TOPICS.customer, 'CustomerUpserted', { customerId, occurredAt: '2026-11-01T10:00:00+08:00', eventId: `${customerId}-1` });
    Object.assign(e.payload as object, { sourceCustomerId: `S-${customerId}`, idNumber: residentId('19880214', '110105', String(100 + i)), name: `客户${customerId.slice(0, 4)}`, branchId: 'BR001', birthDate: undefined });
    return { topic: TOPICS.customer, envelope: e };
  }
  async function exitsNaming(keys: Record<string, string>, variable: string, message: RegExp) {
    const proc = spawnService('profile', { ...env, PORT: String(await freePort()), ...keys });
    procs.push(proc);
    expect(await proc.exited).toBe(78);
    expect(proc.output()).toContain(variable);
    expect(proc.output()).toMatch(message);
  }

  beforeAll(async () => {
    env = serviceTestEnv('profile', {
      FIELD_ENCRYPTION_MASTER_KEY: A,
      // Small, slow batches: the run lasts long enough to be killed in the middle.
      PROFILE_REWRAP_BATCH_SIZE: '2',
      PROFILE_REWRAP_PAUSE_MS: '700',
      PROFILE_REWRAP_LOCK_SECONDS: '2',
      PROFILE_REWRAP_RETRY_SECONDS: '1',
      KEY_RECHECK_SECONDS: '1',
    });
    kafka = testKafka();
    await ensureTopics(kafka, Object.values(TOPICS).map((t) => ({ topic: t })), { topicPrefix: env.KAFKA_TOPIC_PREFIX });
    publisher = new EventPublisher(kafka, { topicPrefix: env.KAFKA_TOPIC_PREFIX });
    db = await mongoose.createConnection(testServers().mongoUri, { dbName: env.MONGODB_DATABASE }).asPromise();
  });

  afterAll(async () => {
    if (process.env.PROFILE_TEST_DEBUG) for (const p of procs) console.log(p.output());
    await Promise.all(procs.map((p) => p.stop()));
    await publisher?.disconnect();
    if (db?.name.startsWith('test_')) await db.dropDatabase();
    await db?.close();
  });

  it('rotates A → B: readable throughout, the re-wrap resumes after a crash, A can go once it is done and not before', async () => {
    // 1. Written under A.
    const underA = await start({});
    await publisher.publishAll(customers.map(customerUpserted));
    for (const id of customers) await waitFor(async () => (await call(underA, 'GET', `/v1/customers/${id}`, ['BRANCH_MANAGER'])).status === 200, 60_000, `${id} folded`);
    await allReadable(underA, customers);
    expect((await status(underA)).run).toBeNull();

    // A key the data never knew, listed as previous: named.
    await exitsNaming({ FIELD_ENCRYPTION_MASTER_KEY: B, FIELD_ENCRYPTION_PREVIOUS_MASTER_KEYS: randomKeyBase64() }, 'FIELD_ENCRYPTION_MASTER_KEY', /FIELD_ENCRYPTION_MASTER_KEY is not the key this service's data was written with/);
    await exitsNaming({ FIELD_ENCRYPTION_PREVIOUS_MASTER_KEYS: randomKeyBase64() }, 'FIELD_ENCRYPTION_PREVIOUS_MASTER_KEYS', /holds a key this service's data was never written with/);

    // 2. B current, A listed: starts, reads everything, and the re-wrap starts by itself. Killed mid-way.
    // The instance still on A (a rolling deploy) re-checks, sees the rotation, and stops rather than wrap new data keys under A.
    const rotating = await start({ FIELD_ENCRYPTION_MASTER_KEY: B, FIELD_ENCRYPTION_PREVIOUS_MASTER_KEYS: A });
    expect(await underA.exited).toBe(78);
    expect(underA.output()).toMatch(/the key record changed while this instance ran .*FIELD_ENCRYPTION_MASTER_KEY is not the key/);
    const midway = await waitFor(async () => {
      const s = await status(rotating);
      const a = s.run?.keys.find((k) => k.keyId === idA);
      return s.run?.phase === 'rewrap' && a && a.rewrapped >= 2 && a.remaining >= 4 ? s : undefined;
    }, 60_000, 'the re-wrap run in the middle of its walk');
    expect(midway).toMatchObject({ currentKeyId: idB, previousKeyIds: [idA], stillNeeded: [idA], removable: [] });
    expect(midway.run!.keys).toEqual([expect.objectContaining({ keyId: idA, dataKeys: customers.length })]);
    const metrics = await (await fetch(`${rotating.url}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`meridian_master_key_rewrap_data_keys\\{key_id="${idA}",state="remaining"[^}]*\\} \\d+`));
    await allReadable(rotating, customers.slice(0, 3));
    expect((await call(rotating, 'GET', '/v1/admin/keys/rewrap', ['BRANCH_MANAGER'])).status).toBe(403);
    rotating.process.kill('SIGKILL');
    await rotating.exited;
    const atCrash = await db.collection('key_rewraps').findOne({ _id: idB as never });
    expect(atCrash).toMatchObject({ phase: 'rewrap', runId: midway.run!.runId });

    // 3. A removed too early: refused, naming the variable.
    await exitsNaming({ FIELD_ENCRYPTION_MASTER_KEY: B }, 'FIELD_ENCRYPTION_PREVIOUS_MASTER_KEYS', /lacks the master key\(s\) .* that still wrap data keys/);

    // 4. Restarted with A listed: the same run resumes from its checkpoint and finishes; new data keys are wrapped under B.
    const resumed = await start({ FIELD_ENCRYPTION_MASTER_KEY: B, FIELD_ENCRYPTION_PREVIOUS_MASTER_KEYS: A });
    const done = await waitFor(async () => {
      const s = await status(resumed);
      return s.run?.phase === 'done' && s.stillNeeded.length === 0 ? s : undefined;
    }, 90_000, 'the resumed re-wrap run done');
    expect(done.run!.runId).toBe(midway.run!.runId); // resumed, not started over
    expect(done.run!.startedAt).toBe(midway.run!.startedAt);
    expect(done.run!.keys).toEqual([{ keyId: idA, dataKeys: customers.length, rewrapped: customers.length, remaining: 0 }]); // each re-wrapped once
    expect(done).toMatchObject({ stillNeeded: [], removable: [idA] });
    expect(await db.collection('data_keys').countDocuments({ masterKeyId: idB })).toBe(customers.length);
    const late = uniqueName('RL').toUpperCase();
    await publisher.publishAll([customerUpserted(late, 99)]);
    await waitFor(async () => (await call(resumed, 'GET', `/v1/customers/${late}`, ['BRANCH_MANAGER'])).status === 200, 60_000, `${late} folded`);
    expect((await db.collection('data_keys').findOne({ _id: late as never }))?.masterKeyId).toBe(idB);
    await allReadable(resumed, [...customers, late]);
    expect(await resumed.stop()).toBe(0);

    // 5. A removed: starts, everything still readable under B alone.
    const onlyB = await start({ FIELD_ENCRYPTION_MASTER_KEY: B });
    await allReadable(onlyB, [...customers, late]);
    expect(await status(onlyB)).toMatchObject({ currentKeyId: idB, previousKeyIds: [], stillNeeded: [] });
    // An ADMIN may run it again (e.g. after a rolling deploy, to check): a new run, nothing left to re-wrap.
    // 503 until the job is set up (the key check passed, Redis answered): a moment after start.
    const again = await waitFor(async () => {
      const r = await call(onlyB, 'POST', '/v1/admin/keys/rewrap', ['ADMIN']);
      return r.status === 503 ? undefined : r;
    }, 30_000, 'the re-wrap job set up');
    expect(again.status).toBe(202);
    expect(again.body.started).toBe(true);
    expect(again.body.runId).not.toBe(midway.run!.runId);
    const checked = await waitFor(async () => {
      const s = await status(onlyB);
      return s.run?.runId === again.body.runId && s.run?.phase === 'done' ? s : undefined;
    }, 60_000, 'the second run done');
    expect(checked.run!.keys).toEqual([]);
    expect(await onlyB.stop()).toBe(0);
  });
});

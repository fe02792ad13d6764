import { EnvelopeInit, Role, TOPICS } from '@meridian/events';
import { ServiceProcess, TopicReader, freePort, serviceTestEnv, signTestToken, startService, testKafka, testServers, waitFor } from '@meridian/shared/testing';
import { Kafka, Producer } from 'kafkajs';
import mongoose, { Connection } from 'mongoose';
import { customerEvent, person, transactionEvent } from '../testing/ingest-fixtures';
import { keptApartPairId } from './domain/kept-apart';

type Published = EnvelopeInit & { customerId: string; payload: any };

/**
 * Issue 9, point 2 "must show" (ADR 0006: sticky unmerge), through ingest as a real process
 * on real Kafka, MongoDB-wire server and Redis: unmerge, then the same evidence again — by
 * HTTP and by Kafka — still two customers and an IdentityConflict; after an ADMIN lifts the
 * separation, the same evidence merges them.
 */
describe('sticky unmerge (real Kafka, MongoDB-wire server and Redis)', () => {
  let env: Record<string, string>;
  let ingest: ServiceProcess;
  let kafka: Kafka;
  let producer: Producer;
  let out: TopicReader;
  let db: Connection;

  const topic = (t: string) => env.KAFKA_TOPIC_PREFIX + t;
  const token = (role: Role) => signTestToken(env.JWT_SECRET, { roles: [role], sub: `${role.toLowerCase()}-1` });
  async function post(path: string, body: unknown, role: Role = 'SYSTEM') {
    const res = await fetch(ingest.url + path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${await token(role)}` }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any };
  }
  const resolve = async (e: EnvelopeInit) => (await post('/v1/events', [e])).body.results[0] as { status: string; customerId: string };
  const published = (t: string): Published[] => out.json<Published>(topic(t));
  const governance = (type: string, where: (e: Published) => boolean) => published(TOPICS.governance).filter((g) => g.type === type && where(g));

  beforeAll(async () => {
    env = serviceTestEnv('ingest', { PORT: String(await freePort()) });
    ingest = await startService('ingest', env);
    kafka = testKafka();
    const admin = kafka.admin();
    await admin.connect();
    try {
      await waitFor(async () => (await admin.describeGroups([env.KAFKA_GROUP_ID])).groups[0]?.state === 'Stable', 90_000, 'ingest in its group');
    } finally {
      await admin.disconnect();
    }
    producer = kafka.producer();
    await producer.connect();
    out = await new TopicReader(kafka, [topic(TOPICS.customer), topic(TOPICS.governance)]).start();
    db = await mongoose.createConnection(testServers().mongoUri, { dbName: env.MONGODB_DATABASE }).asPromise();
  });

  afterAll(async () => {
    await ingest?.stop();
    await out?.stop();
    await producer?.disconnect();
    if (db?.name.startsWith('test_')) await db.dropDatabase();
    await db?.close();
  });

  it('unmerge, then the same evidence again: still two customers and an IdentityConflict; after the ADMIN lifts the separation: merged', async () => {
    const who = person();
    // A: core banking's customer, by idNumber. B: first seen as a card account's transaction.
    const a = (await resolve(customerEvent('cb-sticky', 'S1', who))).customerId;
    const b = (await resolve(transactionEvent('card-sticky', 'K7'))).customerId;
    expect(b).not.toBe(a);
    // The card system sends A's idNumber on B's reference: merged, then undone by an ADMIN.
    expect((await resolve(customerEvent('card-sticky', 'K7', { idNumber: who.idNumber }))).customerId).toBe(a);
    const first = await waitFor(() => governance('IdentityMerged', (g) => g.payload.mergedId === b)[0], 30_000, 'IdentityMerged');
    expect((await post(`/v1/identities/${b}/unmerge`, { reason: 'different people' }, 'ADMIN')).status).toBe(200);
    const separation = await db.collection('identity_kept_apart').findOne({ _id: keptApartPairId(a, b) } as any);
    expect(separation).toMatchObject({ status: 'ACTIVE', mergeId: first.payload.mergeId, keptBy: 'admin-1', reason: 'different people' });

    // The same evidence again, by HTTP: B's record stays B's, nothing merges, a conflict is raised for review.
    const again = customerEvent('card-sticky', 'K7', { idNumber: who.idNumber });
    expect(await resolve(again)).toMatchObject({ status: 'accepted', customerId: b });
    const conflict = await waitFor(() => governance('IdentityConflict', (g) => g.causationId === again.eventId)[0], 30_000, 'IdentityConflict');
    expect(conflict).toMatchObject({
      customerId: b,
      payload: { customerId: b, conflictingCustomerId: a, movedKey: 'ID_NUMBER', reason: 'KEPT_APART', evidence: [{ kind: 'ID_NUMBER', eventId: again.eventId }, { kind: 'SOURCE_REF', eventId: again.eventId }] },
    });
    // And by Kafka, the way core banking publishes.
    const viaKafka = customerEvent('card-sticky', 'K7', { idNumber: who.idNumber });
    await producer.send({ topic: topic(TOPICS.coreCustomers), messages: [{ key: 'card-sticky:K7', value: JSON.stringify(viaKafka) }] });
    const canonical = await waitFor(() => published(TOPICS.customer).find((e) => e.eventId === viaKafka.eventId), 60_000, 'the Kafka record published');
    expect(canonical.customerId).toBe(b);
    await waitFor(() => governance('IdentityConflict', (g) => g.causationId === viaKafka.eventId && g.payload.reason === 'KEPT_APART')[0], 30_000, 'IdentityConflict for the Kafka record');

    // Still two customers: B's reference is B's, A's idNumber finds A from any source, no new merge was announced.
    expect((await resolve(transactionEvent('card-sticky', 'K7'))).customerId).toBe(b);
    expect((await resolve(customerEvent('wealth-sticky', 'W1', { idNumber: who.idNumber }))).customerId).toBe(a);
    expect(await db.collection('identity_customers').findOne({ _id: b } as any)).toMatchObject({ status: 'ACTIVE' });
    // A retry of the kept-apart record is a duplicate and announces nothing twice.
    expect(await resolve(again)).toMatchObject({ status: 'duplicate' });
    expect(governance('IdentityConflict', (g) => g.causationId === again.eventId)).toHaveLength(1);
    expect(governance('IdentityMerged', (g) => g.payload.mergedId === b || g.payload.survivorId === b)).toHaveLength(1);

    // Only an ADMIN lifts it, with a reason, and only a separation that exists and stands.
    const lift = `/v1/identities/${b}/separations/${a}/lift`;
    expect((await post(lift, { reason: 'confirmed one person' }, 'RM')).status).toBe(403);
    expect(await post(lift, {}, 'ADMIN')).toMatchObject({ status: 400, body: { errors: expect.arrayContaining([expect.objectContaining({ field: 'reason', rule: 'isString' })]) } });
    expect(await post(lift, { reason: 'x'.repeat(501) }, 'ADMIN')).toMatchObject({ status: 400, body: { errors: [expect.objectContaining({ field: 'reason', rule: 'isLength' })] } });
    expect((await post(`/v1/identities/${a}/separations/CNOBODY/lift`, { reason: 'x' }, 'ADMIN')).status).toBe(404);
    expect((await post(`/v1/identities/${a}/separations/${a}/lift`, { reason: 'x' }, 'ADMIN')).status).toBe(404);
    expect(await post(lift, { reason: 'confirmed one person' }, 'ADMIN')).toMatchObject({
      status: 200,
      body: { customerIds: [a, b].sort(), status: 'LIFTED', mergeId: first.payload.mergeId, liftedBy: 'admin-1', reason: 'confirmed one person' },
    });
    // Audited on the record, which is kept: who undid the merge, who lifted the separation, when and why.
    expect(await db.collection('identity_kept_apart').findOne({ _id: separation!._id } as any)).toMatchObject({
      status: 'LIFTED',
      keptBy: 'admin-1',
      liftedBy: 'admin-1',
      liftedAt: expect.any(Date),
      liftReason: 'confirmed one person',
    });
    expect((await post(`/v1/identities/${a}/separations/${b}/lift`, { reason: 'again' }, 'ADMIN')).status).toBe(409);

    // The same evidence now merges them, announced as a new merge.
    const after = customerEvent('card-sticky', 'K7', { idNumber: who.idNumber });
    expect((await resolve(after)).customerId).toBe(a);
    const second = await waitFor(() => governance('IdentityMerged', (g) => g.causationId === after.eventId)[0], 30_000, 'the second IdentityMerged');
    expect(second.payload).toMatchObject({ survivorId: a, mergedId: b });
    expect(second.payload.mergeId).not.toBe(first.payload.mergeId);
    expect((await resolve(transactionEvent('card-sticky', 'K7'))).customerId).toBe(a);
    expect(governance('IdentityConflict', (g) => g.causationId === after.eventId)).toEqual([]);
  });
});

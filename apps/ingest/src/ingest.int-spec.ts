import { EnvelopeInit, TOPICS } from '@meridian/events';
import { residentId } from '@meridian/events/testing';
import {
  ServiceProcess,
  TopicReader,
  freePort,
  serviceTestEnv,
  signTestToken,
  startService,
  testKafka,
  testServers,
  waitFor,
} from '@meridian/shared/testing';
import type { Role } from '@meridian/events';
import Redis from 'ioredis';
import { Kafka, Producer } from 'kafkajs';
import mongoose, { Connection } from 'mongoose';
import { customerEvent, inboundOf, person, transactionEvent } from './testing/ingest-fixtures';

/** A resident ID whose GB 11643 check character is wrong. */
function wrongCheck(): string {
  const valid = residentId();
  return valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0');
}

/**
 * Issue 3 "must show": ingest as a real process against real Kafka, a MongoDB-wire server
 * and Redis — each way in, validation, de-duplication, identity resolution (concurrency,
 * conflicts, merges, undo), data quality, and reconciliation: records in = accepted +
 * duplicate + rejected/dead-lettered.
 */
describe('ingest (real Kafka, MongoDB-wire server and Redis)', () => {
  let env: Record<string, string>;
  let ingest: ServiceProcess;
  let kafka: Kafka;
  let producer: Producer;
  let out: TopicReader;
  let db: Connection;
  let redis: Redis;
  const tokens = new Map<string, string>();
  const procs: ServiceProcess[] = [];

  const topic = (t: string) => env.KAFKA_TOPIC_PREFIX + t;
  async function token(role: Role): Promise<string> {
    if (!tokens.has(role)) tokens.set(role, await signTestToken(env.JWT_SECRET, { roles: [role], sub: `${role.toLowerCase()}-1` }));
    return tokens.get(role)!;
  }
  async function post(path: string, body: unknown, role: Role | null = 'SYSTEM', url = ingest.url, contentType = 'application/json') {
    const res = await fetch(url + path, {
      method: 'POST',
      headers: { 'content-type': contentType, ...(role ? { authorization: `Bearer ${await token(role)}` } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as any };
  }
  const published = (t: string) => out.records.filter((r) => r.topic === topic(t));
  const publishedJson = (t: string) => published(t).map((r) => JSON.parse(r.message.value!.toString()) as EnvelopeInit & { customerId: string; payload: any });
  const ofEvent = (t: string, eventId: string) => publishedJson(t).filter((e) => e.eventId === eventId);

  async function joined(groupId: string, members: number) {
    const admin = kafka.admin();
    await admin.connect();
    try {
      await waitFor(async () => {
        const { groups } = await admin.describeGroups([groupId]);
        return groups[0]?.state === 'Stable' && groups[0].members.length === members;
      }, 90_000, `${members} member(s) in ${groupId}`);
    } finally {
      await admin.disconnect();
    }
  }

  beforeAll(async () => {
    env = serviceTestEnv('ingest', { PORT: String(await freePort()) });
    ingest = await startService('ingest', env);
    procs.push(ingest);
    kafka = testKafka();
    await joined(env.KAFKA_GROUP_ID, 1);
    producer = kafka.producer();
    await producer.connect();
    out = await new TopicReader(kafka, [TOPICS.customer, TOPICS.product, TOPICS.transaction, TOPICS.interaction, TOPICS.governance, TOPICS.deadLetter].map(topic)).start();
    db = await mongoose.createConnection(testServers().mongoUri, { dbName: env.MONGODB_DATABASE }).asPromise();
    redis = new Redis(testServers().redisUrl);
  });

  afterAll(async () => {
    await Promise.all(procs.map((p) => p.stop()));
    await out?.stop();
    await producer?.disconnect();
    if (db?.name.startsWith('test_')) await db.dropDatabase();
    await db?.close();
    redis?.disconnect();
  });

  describe('POST /v1/events', () => {
    it('accepts every inbound type and publishes canonical events keyed by customer, money in minor units, PII only on crm.customer.v1', async () => {
      const who = person();
      const events = [
        customerEvent('cb-http', 'R1', who),
        transactionEvent('cb-http', 'R1', { amount: '1234.56', currency: 'USD', balanceAfter: '10.00' }),
        inboundOf('ProductOpened', 'cb-http', 'R1'),
        { ...inboundOf('BalanceSnapshot', 'cb-http', 'R1') },
        inboundOf('ProductClosed', 'cb-http', 'R1'),
        inboundOf('InteractionRecorded', 'cb-http', 'R1'),
      ];
      const res = await post('/v1/events', events);
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ accepted: 6, duplicate: 0, rejected: 0 });
      const customerId = res.body.results[0].customerId;
      expect(customerId).toMatch(/^C[0-9A-F]{24}$/);
      expect(res.body.results.map((r: any) => [r.index, r.status, r.eventId, r.customerId])).toEqual(events.map((e, i) => [i, 'accepted', e.eventId, customerId]));

      await waitFor(() => events.every((e) => out.records.some((r) => r.message.value!.toString().includes(e.eventId))), 30_000, 'the 6 canonical events');
      const txn = ofEvent(TOPICS.transaction, events[1].eventId)[0];
      expect(txn.customerId).toBe(customerId);
      expect(txn.payload).toMatchObject({ amountMinor: 123_456, amountCnyMinor: 876_538, balanceAfterMinor: 1_000, currency: 'USD' });
      expect(txn.payload).not.toHaveProperty('amount');
      expect(ofEvent(TOPICS.product, events[3].eventId)[0].payload).toMatchObject({ balanceMinor: 12_345_678, currency: 'CNY' });
      expect(ofEvent(TOPICS.customer, events[0].eventId)[0].payload).toMatchObject({ idNumber: who.idNumber, phone: who.phone, name: who.name });
      expect(ofEvent(TOPICS.interaction, events[5].eventId)).toHaveLength(1);
      expect(ofEvent(TOPICS.product, events[2].eventId)).toHaveLength(1);

      for (const r of out.records) {
        const e = JSON.parse(r.message.value!.toString());
        if (e.customerId !== customerId) continue;
        expect(r.message.key!.toString()).toBe(customerId);
        expect(r.message.headers!.type!.toString()).toBe(e.type);
        if (r.topic !== topic(TOPICS.customer)) {
          const text = r.message.value!.toString();
          for (const pii of [who.idNumber, who.phone, who.name]) expect(text).not.toContain(pii);
        }
      }
    });

    it('answers every item of a bad-input corpus with the rule it broke, keeps the good ones, and never falls over', async () => {
      const base = () => transactionEvent('cb-corpus', 'R9');
      const cust = (payload: Record<string, unknown>) => customerEvent('cb-corpus', `R-${Math.random()}`, person(), payload);
      const withEnvelope = (e: EnvelopeInit, over: Record<string, unknown>) => ({ ...e, ...over });
      const drop = (e: EnvelopeInit, field: string) => {
        const copy: Record<string, unknown> = { ...e };
        delete copy[field];
        return copy;
      };
      const corpus: Array<[string, unknown, string, string]> = [
        ['wrong type of amount', withEnvelope(base(), { payload: { ...(base().payload as object), amount: 123 } }), 'payload.amount', 'isDecimalAmount'],
        ['negative amount', withEnvelope(base(), { payload: { ...(base().payload as object), amount: '-5.00' } }), 'payload.amount', 'isDecimalAmount'],
        ['3-decimal amount', withEnvelope(base(), { payload: { ...(base().payload as object), amount: '1.005' } }), 'payload.amount', 'isDecimalAmount'],
        ['unknown enum value', withEnvelope(base(), { payload: { ...(base().payload as object), channel: 'TELEPATHY' } }), 'payload.channel', 'isIn'],
        ['unknown currency', withEnvelope(base(), { payload: { ...(base().payload as object), currency: 'QQQ' } }), 'payload.currency', 'isCurrencyCode'],
        ['currency without an FX rate', withEnvelope(base(), { payload: { ...(base().payload as object), currency: 'BRL' } }), 'payload.currency', 'hasFxRate'],
        ['amount finer than JPY', withEnvelope(base(), { payload: { ...(base().payload as object), currency: 'JPY', amount: '10.50', balanceAfter: undefined } }), 'payload.amount', 'isAmountForCurrency'],
        ['1 MB string', cust({ name: 'x'.repeat(1_000_000) }), 'payload.name', 'isLength'],
        ['wrong checksum', cust({ idNumber: wrongCheck() }), 'payload.idNumber', 'isPrcResidentId'],
        ['future birth date in the ID', cust({ idNumber: residentId('20991231') }), 'payload.idNumber', 'isPrcResidentId'],
        ['birth date contradicting the ID', cust({ birthDate: '1970-01-01' }), 'payload.birthDate', 'birthDateMatchesIdNumber'],
        ['future birth date', cust({ idType: 'PASSPORT', idNumber: 'E1234567', birthDate: '2099-01-01' }), 'payload.birthDate', 'isPastBirthDate'],
        ['age above 120', cust({ idNumber: residentId('19000101') }), 'payload.idNumber', 'isPlausibleAge'],
        ['invalid phone', cust({ phone: '12345' }), 'payload.phone', 'isPhone'],
        ['invalid email', cust({ email: 'not-an-address' }), 'payload.email', 'isEmail'],
        ['control characters in the eventId', withEnvelope(base(), { eventId: 'evt\u0000\u0007' }), 'eventId', 'matches'],
        ['missing occurredAt', drop(base(), 'occurredAt'), 'occurredAt', 'isOffsetDateTime'],
        ['missing payload', drop(base(), 'payload'), 'payload', 'isObject'],
        ['local time without offset', withEnvelope(base(), { occurredAt: '2026-03-01T09:30:00' }), 'occurredAt', 'isOffsetDateTime'],
        ['unknown type', withEnvelope(base(), { type: 'CustomerTeleported' }), 'type', 'isKnownType'],
        ['not an object', 42, '', 'isObject'],
        ['null', null, '', 'isObject'],
      ];
      const good = [customerEvent('cb-corpus', 'G1', person(), { name: '张三 🐉 Zhang', email: 'zhang@example.com' }), { ...inboundOf('InteractionRecorded', 'cb-corpus', 'G1'), payload: { ...(inboundOf('InteractionRecorded', 'cb-corpus', 'G1').payload as object), text: '投诉\u0007 😡 control and emoji' } }];
      const body = [...corpus.map(([, item]) => item), ...good];
      const res = await post('/v1/events', body);
      expect(res.status).toBe(202);
      corpus.forEach(([what, , field, rule], i) => {
        const result = res.body.results[i];
        expect({ what, status: result.status }).toEqual({ what, status: 'rejected' });
        expect({ what, errors: result.errors }).toEqual({ what, errors: expect.arrayContaining([expect.objectContaining({ field, rule })]) });
        for (const e of result.errors) expect(e.message).toEqual(expect.any(String));
      });
      expect(res.body.results.slice(corpus.length).map((r: any) => r.status)).toEqual(['accepted', 'accepted']);
      expect(res.body).toMatchObject({ accepted: 2, rejected: corpus.length });

      // Request-level refusals, as problem+json naming the rule.
      const truncated = await post('/v1/events', '[{"eventId": "half', 'SYSTEM');
      expect(truncated).toMatchObject({ status: 400, type: expect.stringContaining('application/problem+json'), body: { errors: [{ field: 'body', rule: 'isJson' }] } });
      expect(await post('/v1/events', { not: 'an array' })).toMatchObject({ status: 400, body: { errors: [{ field: 'body', rule: 'isArray' }] } });
      expect(await post('/v1/events', Array.from({ length: 1001 }, () => ({})))).toMatchObject({ status: 413, body: { errors: [{ field: 'body', rule: 'arrayMaxSize' }] } });
      expect((await post('/v1/events', [], null)).status).toBe(401);
      expect((await post('/v1/events', [], 'RM')).status).toBe(403);
      expect((await fetch(`${ingest.url}/health`)).status).toBe(200);
    });
  });

  describe('Kafka core.*.v1', () => {
    it('publishes the good records, dead-letters the bad ones with their reason, keeps consuming, and reconciles', async () => {
      const who = person();
      const good = [
        customerEvent('cb-kafka', 'K1', who),
        ...Array.from({ length: 20 }, () => transactionEvent('cb-kafka', 'K1')),
        inboundOf('BalanceSnapshot', 'cb-kafka', 'K1'),
        inboundOf('InteractionRecorded', 'cb-kafka', 'K1'),
      ];
      const bad: Array<[string, string, Buffer, string]> = [
        [TOPICS.coreTransactions, 'INVALID_ENCODING', Buffer.from([0xc3, 0x28, 0xa0]), ''],
        [TOPICS.coreTransactions, 'INVALID_JSON', Buffer.from('{"eventId": "x"'), ''],
        [TOPICS.coreTransactions, 'UNKNOWN_TYPE', Buffer.from(JSON.stringify({ ...transactionEvent('cb-kafka', 'K1'), type: 'CustomerUpserted' })), 'isKnownType'],
        [TOPICS.coreTransactions, 'INVALID_PAYLOAD', Buffer.from(JSON.stringify({ ...transactionEvent('cb-kafka', 'K1'), payload: { ...(transactionEvent('cb-kafka', 'K1').payload as object), amount: '1.001' } })), 'isDecimalAmount'],
        [TOPICS.coreTransactions, 'INVALID_PAYLOAD', Buffer.from(JSON.stringify(transactionEvent('cb-kafka', 'K1', { currency: 'BRL' }))), 'hasFxRate'],
        [TOPICS.coreCustomers, 'INVALID_PAYLOAD', Buffer.from(JSON.stringify(customerEvent('cb-kafka', 'K2', { idNumber: wrongCheck() }))), 'isPrcResidentId'],
        [TOPICS.coreCustomers, 'EMPTY_VALUE', Buffer.alloc(0), ''],
      ];
      const topicOf = (e: EnvelopeInit) => ({ CustomerUpserted: TOPICS.coreCustomers, TransactionPosted: TOPICS.coreTransactions, BalanceSnapshot: TOPICS.coreProducts, InteractionRecorded: TOPICS.coreInteractions })[e.type as 'CustomerUpserted']!;
      const key = 'cb-kafka:K1';
      // Bad records between good ones, on the same partitions; one good record twice.
      await producer.send({ topic: topic(TOPICS.coreCustomers), messages: [{ key, value: JSON.stringify(good[0]) }] });
      await producer.sendBatch({
        topicMessages: [
          ...bad.map(([t, , value]) => ({ topic: topic(t), messages: [{ key, value }] })),
          ...good.slice(1).map((e) => ({ topic: topic(topicOf(e)), messages: [{ key, value: JSON.stringify(e) }] })),
          { topic: topic(TOPICS.coreTransactions), messages: [{ key, value: JSON.stringify(good[5]) }] },
        ],
      });
      const sent = 1 + bad.length + good.length - 1 + 1;

      const letters = () => publishedJson(TOPICS.deadLetter).filter((l: any) => l.payload.key === key);
      await waitFor(() => good.every((e) => out.records.some((r) => r.message.value!.toString().includes(`"eventId":"${e.eventId}"`) && !r.topic.endsWith('deadletter.v1'))), 60_000, 'every good record published');
      await waitFor(() => letters().length === bad.length, 60_000, `${bad.length} dead letters`);
      const reasons = letters().map((l: any) => [l.payload.reason.code, l.payload.reason.rule ?? '']).sort();
      expect(reasons).toEqual(bad.map(([, code, , rule]) => [code, rule]).sort());
      for (const l of letters() as any[]) {
        expect(l.payload.service).toBe('ingest');
        expect(bad.some(([, , value]) => Buffer.from(l.payload.rawValue ?? '', 'base64').equals(value))).toBe(true);
      }
      // The duplicate was published once.
      expect(ofEvent(TOPICS.transaction, good[5].eventId)).toHaveLength(1);
      const customerId = ofEvent(TOPICS.customer, good[0].eventId)[0].customerId;
      expect(good.slice(1).every((e) => out.records.some((r) => r.message.key?.toString() === customerId && r.message.value!.toString().includes(e.eventId)))).toBe(true);

      // Reconciliation from the service's own counters: in = applied + duplicate + dead-lettered.
      const counts = await waitFor(async () => {
        const text = await (await fetch(`${ingest.url}/metrics`)).text();
        const sum = (outcome: string) =>
          [...text.matchAll(new RegExp(`meridian_messages_consumed_total\\{[^}]*outcome="${outcome}"[^}]*topic="core[^"]*"[^}]*\\} (\\d+)|meridian_messages_consumed_total\\{[^}]*topic="core[^"]*"[^}]*outcome="${outcome}"[^}]*\\} (\\d+)`, 'g'))].reduce((s, m) => s + Number(m[1] ?? m[2]), 0);
        const c = { applied: sum('applied'), duplicate: sum('duplicate'), deadLettered: sum('dead_lettered') };
        return c.applied + c.duplicate + c.deadLettered >= sent ? c : undefined;
      }, 30_000, 'the counters to add up');
      expect(counts).toEqual({ applied: good.length, duplicate: 1, deadLettered: bad.length });
    });

    it('loses nothing and applies nothing twice when stopped mid-stream and restarted', async () => {
      const who = person();
      const total = 1_500;
      const events = [customerEvent('cb-restart', 'S1', who), ...Array.from({ length: total - 1 }, () => transactionEvent('cb-restart', 'S1'))];
      await producer.send({ topic: topic(TOPICS.coreCustomers), messages: [{ key: 'cb-restart:S1', value: JSON.stringify(events[0]) }] });
      await producer.send({ topic: topic(TOPICS.coreTransactions), messages: events.slice(1).map((e) => ({ key: 'cb-restart:S1', value: JSON.stringify(e) })) });
      const ids = new Set(events.map((e) => e.eventId));
      const seen = () => out.records.filter((r) => r.topic !== topic(TOPICS.deadLetter) && ids.has(JSON.parse(r.message.value!.toString()).eventId));
      await waitFor(() => seen().length >= 100, 60_000, 'the first 100');
      expect(await ingest.stop()).toBe(0);
      const atStop = seen().length;
      ingest = await startService('ingest', env);
      procs.push(ingest);
      await waitFor(() => new Set(seen().map((r) => JSON.parse(r.message.value!.toString()).eventId)).size === total, 120_000, `all ${total} published`);
      await new Promise((r) => setTimeout(r, 1_000));
      expect(atStop).toBeLessThan(total);
      expect(seen()).toHaveLength(total);
    });
  });

  describe('de-duplication by eventId', () => {
    it('reports a producer retry or a replay duplicate and publishes it once, by HTTP and Kafka, after Redis forgets it too', async () => {
      const e = transactionEvent('cb-dedup', 'D1');
      const first = await post('/v1/events', [e]);
      expect(first.body.results[0].status).toBe('accepted');
      expect((await post('/v1/events', [e, e])).body.results.map((r: any) => r.status)).toEqual(['duplicate', 'duplicate']);
      await producer.send({ topic: topic(TOPICS.coreTransactions), messages: [{ key: 'cb-dedup:D1', value: JSON.stringify(e) }] });
      const marker = transactionEvent('cb-dedup', 'D1');
      await producer.send({ topic: topic(TOPICS.coreTransactions), messages: [{ key: 'cb-dedup:D1', value: JSON.stringify(marker) }] });
      await waitFor(() => ofEvent(TOPICS.transaction, marker.eventId).length === 1, 30_000, 'the marker');

      // The fast window forgets; the durable guard still knows.
      expect(await redis.del(`${env.MONGODB_DATABASE}:done:${e.eventId}`)).toBe(1);
      const replay = await post('/v1/events', [e]);
      expect(replay.body.results[0]).toMatchObject({ status: 'duplicate', eventId: e.eventId });
      expect(ofEvent(TOPICS.transaction, e.eventId)).toHaveLength(1);
    });

    it('takes over eventIds of a run that crashed (lease over) or gave up, and waits for one still at work', async () => {
      const [crashed, gaveUp, atWork] = [transactionEvent('cb-lease', 'L1'), transactionEvent('cb-lease', 'L2'), transactionEvent('cb-lease', 'L3')];
      const events = db.collection('ingest_events');
      await events.insertMany([
        { _id: crashed.eventId, runId: 'run-crashed', at: new Date(Date.now() - 3_600_000) },
        { _id: gaveUp.eventId, runId: 'run-gave-up', at: new Date() },
        { _id: atWork.eventId, runId: 'run-at-work', at: new Date() },
      ] as any[]);
      await db.collection('ingest_runs').insertOne({ _id: 'run-gave-up', at: new Date(), events: 0, abandoned: true } as any);
      expect((await post('/v1/events', [crashed, gaveUp])).body.results.map((r: any) => r.status)).toEqual(['accepted', 'accepted']);
      await waitFor(() => ofEvent(TOPICS.transaction, gaveUp.eventId).length === 1 && ofEvent(TOPICS.transaction, crashed.eventId).length === 1, 30_000, 'both published');

      // A run still at work on L3 finishes 1.5 s later: the second delivery waited for it, and answers duplicate.
      let answered = false;
      const answer = post('/v1/events', [atWork]).finally(() => (answered = true));
      await new Promise((r) => setTimeout(r, 1_500));
      expect(answered).toBe(false); // it waits for the run at work
      await db.collection('ingest_runs').insertOne({ _id: 'run-at-work', at: new Date(), events: 1 } as any);
      expect((await answer).body.results[0]).toMatchObject({ status: 'duplicate', eventId: atWork.eventId });
      expect(ofEvent(TOPICS.transaction, atWork.eventId)).toHaveLength(0);
    });
  });

  describe('identity resolution', () => {
    it('resolves one person from two sources to one customer; a phone alone never joins two idNumbers', async () => {
      const who = person();
      const [a, b] = (await post('/v1/events', [customerEvent('cb-id', 'A1', who), customerEvent('card-id', 'Z9', { idNumber: who.idNumber })])).body.results;
      expect(b.customerId).toBe(a.customerId);
      const [t1, t2] = (await post('/v1/events', [transactionEvent('cb-id', 'A1'), transactionEvent('card-id', 'Z9')])).body.results;
      expect([t1.customerId, t2.customerId]).toEqual([a.customerId, a.customerId]);

      // Another person with the first one's phone: a new customer, and the phone moves to it.
      const other = person();
      const c = (await post('/v1/events', [customerEvent('cb-id', 'A2', { ...other, phone: who.phone })])).body.results[0];
      expect(c.status).toBe('accepted');
      expect(c.customerId).not.toBe(a.customerId);
      const conflict = await waitFor(() => publishedJson(TOPICS.governance).find((g) => g.type === 'IdentityConflict' && g.payload.customerId === c.customerId), 30_000, 'IdentityConflict');
      expect(conflict.payload).toMatchObject({ conflictingCustomerId: a.customerId, movedKey: 'PHONE' });
      expect(conflict.causationId).toBeDefined();
      // The first person's idNumber still finds them, with their phone given back: it moves again.
      const again = (await post('/v1/events', [customerEvent('cb-id', 'A1', who)])).body.results[0];
      expect(again.customerId).toBe(a.customerId);
    });

    it('merges two customers on strong evidence, announces it, and lets an ADMIN undo it', async () => {
      const who = person();
      // A: known by idNumber from core banking. B: first seen as a card account's transaction.
      const a = (await post('/v1/events', [customerEvent('cb-merge', 'M1', who)])).body.results[0].customerId;
      const b = (await post('/v1/events', [transactionEvent('card-merge', 'X7')])).body.results[0].customerId;
      expect(b).not.toBe(a);
      // The card system now sends the customer record: A's idNumber on B's source reference.
      const evidence = customerEvent('card-merge', 'X7', { idNumber: who.idNumber });
      expect((await post('/v1/events', [evidence])).body.results[0].customerId).toBe(a);
      const merged = await waitFor(() => publishedJson(TOPICS.governance).find((g) => g.type === 'IdentityMerged' && g.payload.mergedId === b), 30_000, 'IdentityMerged');
      expect(merged.customerId).toBe(a);
      expect(merged.payload).toMatchObject({ survivorId: a, mergedId: b, mergeId: expect.stringMatching(/^M[0-9A-F]{24}$/) });
      expect(merged.payload.evidence.map((e: any) => e.kind).sort()).toEqual(['ID_NUMBER', 'SOURCE_REF']);
      expect(merged.payload.evidence.every((e: any) => e.eventId === evidence.eventId && /^[0-9a-f]{64}$/.test(e.keyHash))).toBe(true);
      expect((await post('/v1/events', [transactionEvent('card-merge', 'X7')])).body.results[0].customerId).toBe(a);
      const mergeRecord = await db.collection('identity_merges').findOne({ _id: merged.payload.mergeId } as any);
      expect(mergeRecord).toMatchObject({ survivorId: a, mergedId: b, status: 'ACTIVE' });

      // Only an ADMIN may undo it; one whose subject the event cannot carry is refused before anything changes.
      expect((await post(`/v1/identities/${b}/unmerge`, { reason: 'different people' }, 'RM')).status).toBe(403);
      const longSub = await fetch(`${ingest.url}/v1/identities/${b}/unmerge`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await signTestToken(env.JWT_SECRET, { roles: ['ADMIN'], sub: 'a'.repeat(65) })}` },
        body: '{}',
      });
      expect(longSub.status).toBe(400);
      expect(((await longSub.json()) as any).errors[0]).toMatchObject({ field: 'token.sub' });
      expect(await db.collection('identity_merges').findOne({ _id: merged.payload.mergeId } as any)).toMatchObject({ status: 'ACTIVE' });
      const undo = await post(`/v1/identities/${b}/unmerge`, { reason: 'different people' }, 'ADMIN');
      expect(undo).toMatchObject({ status: 200, body: { mergeId: merged.payload.mergeId, survivorId: a, restoredId: b, undoneBy: 'admin-1' } });
      expect(undo.body.restoredKeys).toBeGreaterThanOrEqual(1);
      const unmerged = await waitFor(() => publishedJson(TOPICS.governance).find((g) => g.type === 'IdentityUnmerged' && g.payload.mergeId === merged.payload.mergeId), 30_000, 'IdentityUnmerged');
      expect(unmerged).toMatchObject({ customerId: a, payload: { survivorId: a, restoredId: b, undoneBy: 'admin-1', reason: 'different people' } });
      expect((await post('/v1/events', [transactionEvent('card-merge', 'X7')])).body.results[0].customerId).toBe(b);
      expect(await db.collection('identity_merges').findOne({ _id: merged.payload.mergeId } as any)).toMatchObject({ status: 'UNDONE', undoneBy: 'admin-1' });
      // Undone once; not twice, and never for a customer that was not merged.
      expect((await post(`/v1/identities/${b}/unmerge`, {}, 'ADMIN')).status).toBe(409);
      expect((await post(`/v1/identities/${a}/unmerge`, {}, 'ADMIN')).status).toBe(409);
      expect((await post(`/v1/identities/CNOBODY/unmerge`, {}, 'ADMIN')).status).toBe(404);
      expect((await post(`/v1/identities/${b}/unmerge`, { mergeId: 'nope' }, 'ADMIN'))).toMatchObject({ status: 400, body: { errors: [{ field: 'mergeId', rule: 'matches' }] } });
    });

    it('never creates two customers for one person sighted at the same moment by two instances', async () => {
      const second = await startService('ingest', { ...env, PORT: String(await freePort()) });
      procs.push(second);
      const people = Array.from({ length: 40 }, () => person());
      const fromCore = people.map((p, i) => customerEvent('cb-race', `R${i}`, p));
      const fromCards = people.map((p, i) => customerEvent('card-race', `C${i}`, { idNumber: p.idNumber }));
      // Both instances at once, each item alone and all in parallel: the unique key decides.
      const answers = await Promise.all([
        ...fromCore.map((e) => post('/v1/events', [e], 'SYSTEM', ingest.url)),
        ...fromCards.map((e) => post('/v1/events', [e], 'SYSTEM', second.url)),
      ]);
      const ids = answers.map((a) => a.body.results[0].customerId as string);
      for (let i = 0; i < people.length; i++) expect(ids[people.length + i]).toBe(ids[i]);
      expect(new Set(ids).size).toBe(people.length);
      const active = await db.collection('identity_customers').countDocuments({ _id: { $in: ids } } as any);
      expect(active).toBe(people.length);
    });
  });

  describe('POST /v1/imports/customers', () => {
    it('applies a later file whose row went back to earlier values; the same file under the same asOf is a duplicate', async () => {
      const header = 'sourceSystem,sourceCustomerId,idType,idNumber,name,customerType,branchId';
      const p = person();
      const file = (name: string) => `${header}\ncsv-revert,REV-1,RESIDENT_ID,${p.idNumber},${name},PERSONAL,BR001\n`;
      const send = (name: string, asOf: string) => post(`/v1/imports/customers?asOf=${asOf}`, file(name), 'SYSTEM', ingest.url, 'text/csv');
      expect((await send('张一', '2026-03-01')).body).toMatchObject({ accepted: 1, asOf: '2026-03-01' });
      expect((await send('张二', '2026-03-02')).body).toMatchObject({ accepted: 1 });
      expect((await send('张一', '2026-03-03')).body).toMatchObject({ accepted: 1, duplicate: 0 }); // back to the first name: applied
      expect((await send('张一', '2026-03-03')).body).toMatchObject({ accepted: 0, duplicate: 1 }); // sent again
      const names = await waitFor(() => {
        const list = publishedJson(TOPICS.customer).filter((e) => e.payload.sourceCustomerId === 'REV-1').map((e) => e.payload.name);
        return list.length === 3 ? list : undefined;
      }, 30_000, 'three customer events');
      expect(names).toEqual(['张一', '张二', '张一']);
      expect(await send('张一', 'yesterday')).toMatchObject({ status: 400, body: { errors: [{ field: 'asOf', rule: 'isDateOrOffsetDateTime' }] } });
    });

    it('streams a CSV, keeps the good rows, lists the bad ones with line, field and rule; a second import is all duplicates', async () => {
      const header = 'sourceSystem,sourceCustomerId,idType,idNumber,name,customerType,branchId,phone,birthDate,consent_sms,consent_profiling';
      const rows = Array.from({ length: 1_200 }, (_, i) => {
        const p = person();
        return `csv-bank,IMP-${i},RESIDENT_ID,${p.idNumber},"${p.name}, Jr.",PERSONAL,BR00${i % 5},${p.phone},,${i % 2 ? 'yes' : 'no'},1`;
      });
      rows[10] = `csv-bank,IMP-10,RESIDENT_ID,${wrongCheck()},坏,PERSONAL,BR001,,,yes,1`; // wrong check character
      rows[500] = `csv-bank,IMP-500,RESIDENT_ID,${person().idNumber},坏,PERSONAL,BR001,,,perhaps,1`; // not a boolean
      rows[900] = `csv-bank,IMP-900,RESIDENT_ID,${person().idNumber},坏,ALIEN,BR001,,,yes,1`; // unknown enum
      const csv = [header, ...rows].join('\r\n') + '\r\n';
      const res = await post('/v1/imports/customers', csv, 'SYSTEM', ingest.url, 'text/csv');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ rows: 1_200, accepted: 1_197, duplicate: 0, rejected: 3, badRowsTruncated: false });
      expect(res.body.badRows.map((b: any) => [b.line, b.sourceCustomerId, b.errors[0].field, b.errors[0].rule])).toEqual([
        [12, 'IMP-10', 'payload.idNumber', 'isPrcResidentId'],
        [502, 'IMP-500', 'consent_sms', 'isBoolean'],
        [902, 'IMP-900', 'payload.customerType', 'isIn'],
      ]);
      await waitFor(() => publishedJson(TOPICS.customer).filter((e) => e.payload.sourceSystem === 'csv-bank').length === 1_197, 60_000, '1,197 customers published');

      const form = new FormData();
      form.append('file', new Blob([csv], { type: 'text/csv' }), 'customers.csv');
      const again = await fetch(`${ingest.url}/v1/imports/customers`, { method: 'POST', headers: { authorization: `Bearer ${await token('SYSTEM')}` }, body: form });
      expect(await again.json()).toMatchObject({ rows: 1_200, accepted: 0, duplicate: 1_197, rejected: 3 });

      const badHeader = await post('/v1/imports/customers', 'sourceSystem,idNumbr\nx,y\n', 'SYSTEM', ingest.url, 'text/csv');
      expect(badHeader).toMatchObject({ status: 400, body: { errors: expect.arrayContaining([{ field: 'idNumbr', rule: 'isKnownColumn', message: expect.any(String) }]) } });
      expect((await post('/v1/imports/customers', 'x', 'SYSTEM', ingest.url, 'application/pdf')).status).toBe(415);

      // A multipart body without a boundary, and one cut off mid-file: 400 naming the rule, never 500.
      const noBoundary = await post('/v1/imports/customers', csv, 'SYSTEM', ingest.url, 'multipart/form-data');
      expect(noBoundary).toMatchObject({ status: 400, body: { errors: [{ field: 'body', rule: 'isMultipartFormData', message: expect.any(String) }] } });
      const partHead = `--XyZ\r\nContent-Disposition: form-data; name="file"; filename="c.csv"\r\nContent-Type: text/csv\r\n\r\n`;
      const cut = await post('/v1/imports/customers', partHead + csv.slice(0, 3_000), 'SYSTEM', ingest.url, 'multipart/form-data; boundary=XyZ');
      expect(cut.status).toBe(400);
      expect(cut.body.errors[0]).toMatchObject({ field: expect.stringMatching(/^(file|body)$/), rule: expect.stringMatching(/^(isCompleteUpload|isMultipartFormData)$/) });
    });
  });

  describe('data quality', () => {
    it('alerts once when more than 5 % of at least 200 records from one source fail one rule, and reports rates per source and field', async () => {
      const source = 'region-7-core';
      const batch = Array.from({ length: 230 }, (_, i) => {
        const p = person();
        // 20 of them carry a birth date that contradicts the ID: the "region's age field is wrong in bulk" case.
        return customerEvent(source, `Q${i}`, p, i % 10 === 3 && i < 200 ? { birthDate: '1970-01-01' } : {});
      });
      const res = await post('/v1/events', batch);
      expect(res.body).toMatchObject({ accepted: 210, rejected: 20 });
      const alert = await waitFor(() => publishedJson(TOPICS.governance).find((g) => g.type === 'DataQualityAlert' && g.payload.source === source), 30_000, 'DataQualityAlert');
      expect(alert.payload).toMatchObject({ field: 'payload.birthDate', rule: 'birthDateMatchesIdNumber', rate: 0.087, window: { records: 230, failures: 20 } });

      // The first 50 sent again: no second alert in the window; the 45 good ones are duplicates and do not
      // weigh on the rates again, the 5 bad ones (never taken on, so not known) count again.
      expect((await post('/v1/events', batch.slice(0, 50))).body).toMatchObject({ duplicate: 45, rejected: 5 });
      const report = await fetch(`${ingest.url}/v1/quality`, { headers: { authorization: `Bearer ${await token('AUDITOR')}` } });
      expect(report.status).toBe(200);
      const body = (await report.json()) as any;
      const region = body.sources.find((s: any) => s.source === source);
      expect(region).toMatchObject({ records: 235, rejected: 25 });
      expect(region.rules[0]).toMatchObject({ field: 'payload.birthDate', rule: 'birthDateMatchesIdNumber', failures: 25, alerting: true });
      expect(body.recentAlerts.some((a: any) => a.source === source && a.rule === 'birthDateMatchesIdNumber')).toBe(true);
      await new Promise((r) => setTimeout(r, 500));
      expect(publishedJson(TOPICS.governance).filter((g) => g.type === 'DataQualityAlert' && g.payload.source === source)).toHaveLength(1);
      expect((await fetch(`${ingest.url}/v1/quality`, { headers: { authorization: `Bearer ${await token('TELLER')}` } })).status).toBe(403);
    });
  });
});

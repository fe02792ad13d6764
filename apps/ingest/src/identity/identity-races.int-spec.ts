import { EnvelopeInit, TOPICS } from '@meridian/events';
import { ServiceProcess, TopicReader, freePort, serviceTestEnv, startService, testKafka, testServers, waitFor } from '@meridian/shared/testing';
import Redis from 'ioredis';
import { Kafka, Producer } from 'kafkajs';
import mongoose, { Connection } from 'mongoose';
import { customerEvent, person, transactionEvent } from '../testing/ingest-fixtures';

type Published = EnvelopeInit & { customerId: string; payload: any };

/**
 * Issue 9 "must show": identity resolution stays exact with two ingest processes in one
 * consumer group (ADR 0006). The same new person arriving from two source systems on
 * different partitions at the same moment becomes one customer, and nothing is published
 * under — or about — a candidate an instance dropped; two merges of one customer racing
 * make one merge, the other sees it.
 */
describe('identity resolution across two ingest instances (real Kafka, MongoDB-wire server and Redis)', () => {
  let env: Record<string, string>;
  const procs: ServiceProcess[] = [];
  let kafka: Kafka;
  let producer: Producer;
  let out: TopicReader;
  let db: Connection;

  const topic = (t: string) => env.KAFKA_TOPIC_PREFIX + t;
  const publishedJson = (t: string): Published[] => out.records.filter((r) => r.topic === topic(t)).map((r) => JSON.parse(r.message.value!.toString()));
  const customerOf = (t: string, eventId: string) => publishedJson(t).filter((e) => e.eventId === eventId).map((e) => e.customerId);

  beforeAll(async () => {
    env = serviceTestEnv('ingest', { PORT: String(await freePort()), ...(process.env.DEBUG_RACES ? { LOG_LEVEL: 'debug' } : {}) });
    procs.push(...(await Promise.all([startService('ingest', env), startService('ingest', { ...env, PORT: String(await freePort()) })])));
    kafka = testKafka();
    const admin = kafka.admin();
    await admin.connect();
    try {
      await waitFor(async () => {
        const { groups } = await admin.describeGroups([env.KAFKA_GROUP_ID]);
        return groups[0]?.state === 'Stable' && groups[0].members.length === 2 && groups[0].members.every((m) => m.memberAssignment.length > 0);
      }, 90_000, 'two members with partitions in the group');
    } finally {
      await admin.disconnect();
    }
    producer = kafka.producer();
    await producer.connect();
    out = await new TopicReader(kafka, [TOPICS.customer, TOPICS.transaction, TOPICS.governance, TOPICS.deadLetter].map(topic)).start();
    db = await mongoose.createConnection(testServers().mongoUri, { dbName: env.MONGODB_DATABASE }).asPromise();
  }, 180_000);

  afterAll(async () => {
    await Promise.all(procs.map((p) => p.stop()));
    if (process.env.DEBUG_RACES) procs.forEach((p, i) => require('node:fs').writeFileSync(`/tmp/race-proc-${i}.log`, p.output()));
    await out?.stop();
    await producer?.disconnect();
    if (db?.name.startsWith('test_')) await db.dropDatabase();
    await db?.close();
  });

  /** Every customer id an event names: its key, and the customers of governance payloads. */
  function namedCustomers(e: Published): string[] {
    const p = e.payload ?? {};
    return [e.customerId, p.conflictingCustomerId, p.survivorId, p.mergedId].filter((c): c is string => typeof c === 'string');
  }

  async function existingCustomers(ids: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (const _id of new Set(ids)) if (await db.collection('identity_customers').findOne({ _id } as any, { projection: { _id: 1 } })) found.add(_id);
    return found;
  }

  it('resolves 200 people, each sighted by two sources on different partitions at once, to one customer each; nothing names a dropped candidate', async () => {
    const people = Array.from({ length: 200 }, () => person());
    const fromCore = people.map((p, i) => customerEvent('cb-race2', `R${i}`, p));
    const fromCards = people.map((p, i) => customerEvent('card-race2', `C${i}`, { idNumber: p.idNumber, phone: p.phone }));
    await producer.send({
      topic: topic(TOPICS.coreCustomers),
      messages: people.flatMap((_, i) => [
        { partition: i % 3, key: `cb-race2:R${i}`, value: JSON.stringify(fromCore[i]) },
        { partition: (i + 1) % 3, key: `card-race2:C${i}`, value: JSON.stringify(fromCards[i]) },
      ]),
    });
    const all = [...fromCore, ...fromCards];
    await waitFor(() => all.every((e) => customerOf(TOPICS.customer, e.eventId).length > 0), 120_000, 'all 400 CustomerUpserted');

    const ids = people.map((_, i) => {
      const mine = new Set([...customerOf(TOPICS.customer, fromCore[i].eventId), ...customerOf(TOPICS.customer, fromCards[i].eventId)]);
      expect([...mine]).toHaveLength(1);
      return [...mine][0];
    });
    expect(new Set(ids).size).toBe(people.length);

    // Nothing about these people names a customer ingest dropped: no phantom IdentityConflict
    // (the same person's phone "moved" from a candidate nobody saw), no event keyed by it.
    const mine = new Set(ids);
    const eventIds = new Set(all.map((e) => e.eventId));
    const related = [...publishedJson(TOPICS.customer), ...publishedJson(TOPICS.governance)].filter((e) => eventIds.has(e.eventId) || eventIds.has(e.causationId ?? ''));
    const named = related.flatMap(namedCustomers);
    const kept = await existingCustomers(named);
    expect(named.filter((c) => !kept.has(c))).toEqual([]);
    expect(named.filter((c) => !mine.has(c))).toEqual([]);
    expect(publishedJson(TOPICS.governance).filter((g) => eventIds.has(g.causationId ?? ''))).toEqual([]);
    expect(publishedJson(TOPICS.deadLetter)).toEqual([]);
  });

  it('a known person whose keys the cache forgot, first seen by a new source on two topics at once: every record lands on that person', async () => {
    const people = Array.from({ length: 200 }, () => person());
    const known = people.map((p, i) => customerEvent('cb-known', `K${i}`, p));
    await producer.send({ topic: topic(TOPICS.coreCustomers), messages: known.map((e, i) => ({ key: `cb-known:K${i}`, value: JSON.stringify(e) })) });
    await waitFor(() => known.every((e) => customerOf(TOPICS.customer, e.eventId).length), 60_000, 'the 200 known people');
    const owners = known.map((e) => customerOf(TOPICS.customer, e.eventId)[0]);
    // Thirty days later the Redis cache has forgotten them (its TTL): only MongoDB knows.
    const redis = new Redis(testServers().redisUrl);
    try {
      const stale = await redis.keys(`${env.MONGODB_DATABASE}:idk:*`);
      if (stale.length) await redis.del(...stale);
    } finally {
      redis.disconnect();
    }
    // The card system's first customer record (ID number, new source reference) and its first
    // transaction arrive together on two topics: two instances resolve the new reference at once.
    const cardRecords = people.map((p, i) => customerEvent('card-known', `Q${i}`, { idNumber: p.idNumber, phone: p.phone }));
    const cardTxns = people.map((_, i) => transactionEvent('card-known', `Q${i}`));
    await producer.sendBatch({
      topicMessages: [
        { topic: topic(TOPICS.coreCustomers), messages: cardRecords.map((e, i) => ({ key: `card-known:Q${i}`, value: JSON.stringify(e) })) },
        { topic: topic(TOPICS.coreTransactions), messages: cardTxns.map((e, i) => ({ key: `card-known:Q${i}`, value: JSON.stringify(e) })) },
      ],
    });
    await waitFor(() => cardRecords.every((e) => customerOf(TOPICS.customer, e.eventId).length) && cardTxns.every((e) => customerOf(TOPICS.transaction, e.eventId).length), 120_000, 'the 400 card records');

    const eventIds = new Set([...cardRecords, ...cardTxns].map((e) => e.eventId));
    const related = [...publishedJson(TOPICS.customer), ...publishedJson(TOPICS.transaction), ...publishedJson(TOPICS.governance)].filter((e) => eventIds.has(e.eventId) || eventIds.has(e.causationId ?? ''));
    const named = related.flatMap(namedCustomers);
    const kept = await existingCustomers(named);
    expect(named.filter((c) => !kept.has(c))).toEqual([]);
    people.forEach((_, i) => expect(customerOf(TOPICS.customer, cardRecords[i].eventId)).toEqual([owners[i]]));
    // A transaction that won the new reference first made a customer of its own: merged into the person, announced.
    const merges = publishedJson(TOPICS.governance).filter((g) => g.type === 'IdentityMerged' && eventIds.has(g.causationId ?? ''));
    people.forEach((_, i) => {
      const txnCustomer = customerOf(TOPICS.transaction, cardTxns[i].eventId)[0];
      if (txnCustomer !== owners[i]) expect(merges.filter((m) => m.payload.mergedId === txnCustomer).map((m) => m.payload.survivorId)).toEqual([owners[i]]);
    });
  });

  it('serialises two merges of the same customer: one merge, the other record sees it', async () => {
    const people = Array.from({ length: 40 }, () => person());
    const core = people.map((p, i) => customerEvent('cb-mrace', `M${i}`, p));
    const cards = people.map((_, i) => transactionEvent('card-mrace', `X${i}`));
    await producer.send({ topic: topic(TOPICS.coreCustomers), messages: core.map((e, i) => ({ key: `cb-mrace:M${i}`, value: JSON.stringify(e) })) });
    await producer.send({ topic: topic(TOPICS.coreTransactions), messages: cards.map((e, i) => ({ key: `card-mrace:X${i}`, value: JSON.stringify(e) })) });
    await waitFor(() => [...core, ...cards].every((e) => customerOf(e === cards[0] || cards.includes(e) ? TOPICS.transaction : TOPICS.customer, e.eventId).length), 60_000, 'the 80 first sightings');
    const survivors = core.map((e) => customerOf(TOPICS.customer, e.eventId)[0]);
    const merged = cards.map((e) => customerOf(TOPICS.transaction, e.eventId)[0]);
    survivors.forEach((s, i) => expect(merged[i]).not.toBe(s));

    // The card system sends its customer record twice (a re-export under new eventIds), on two partitions at once.
    const evidence = people.map((p, i) => [0, 1].map(() => customerEvent('card-mrace', `X${i}`, { idNumber: p.idNumber })));
    await producer.send({
      topic: topic(TOPICS.coreCustomers),
      messages: evidence.flatMap(([a, b], i) => [
        { partition: i % 3, key: `card-mrace:X${i}:a`, value: JSON.stringify(a) },
        { partition: (i + 1) % 3, key: `card-mrace:X${i}:b`, value: JSON.stringify(b) },
      ]),
    });
    await waitFor(() => evidence.flat().every((e) => customerOf(TOPICS.customer, e.eventId).length), 120_000, 'the 80 evidence records');

    evidence.forEach(([a, b], i) => {
      expect(customerOf(TOPICS.customer, a.eventId)).toEqual([survivors[i]]);
      expect(customerOf(TOPICS.customer, b.eventId)).toEqual([survivors[i]]);
    });
    const merges = publishedJson(TOPICS.governance).filter((g) => g.type === 'IdentityMerged');
    for (let i = 0; i < people.length; i++) {
      const ofThis = merges.filter((m) => m.payload.mergedId === merged[i]);
      expect(ofThis.map((m) => m.payload.survivorId)).toEqual([survivors[i]]);
      expect(await db.collection('identity_merges').countDocuments({ mergedId: merged[i] })).toBe(1);
    }
    // Later records of the card account land on the survivor.
    const later = cards.map((_, i) => transactionEvent('card-mrace', `X${i}`));
    await producer.send({ topic: topic(TOPICS.coreTransactions), messages: later.map((e, i) => ({ key: `card-mrace:X${i}`, value: JSON.stringify(e) })) });
    await waitFor(() => later.every((e) => customerOf(TOPICS.transaction, e.eventId).length), 60_000, 'the later transactions');
    later.forEach((e, i) => expect(customerOf(TOPICS.transaction, e.eventId)).toEqual([survivors[i]]));
  });
});

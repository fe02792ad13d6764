import { EventEnvelope, TOPICS } from '@meridian/events';
import { sampleEnvelope } from '@meridian/events/testing';
import { BatchHandler, ConsumerRunner, EventPublisher, ensureTopics } from '@meridian/events/kafka';
import Redis from 'ioredis';
import { Admin, Kafka, Producer } from 'kafkajs';
import mongoose, { Connection } from 'mongoose';
import { dependencyProbe } from '../health/health.indicators';
import { TcpProxy, TopicReader, mongoBehindProxy, testDatabaseName, testKafka, testServers, uniqueName, waitFor } from '../testing';
import { isDuplicateKeyError } from './idempotency-guards';

type Style = 'per-type' | 'batch';

/**
 * Issue 8, point 1: three poison records at the head of a partition (a handler bug on an
 * unexpected payload) must not block it, and a real database outage must not dead-letter
 * anything. The handler and the runner's probe reach MongoDB through a TCP relay that the
 * test cuts, as a database going down; the real server keeps serving everything else.
 */
describe.each<Style>(['per-type', 'batch'])('ConsumerRunner (%s handlers): poison at the head of a partition, and a database outage', (style) => {
  let kafka: Kafka;
  let producer: Producer;
  let admin: Admin;
  let redis: Redis;
  let direct: Connection;
  let proxied: Connection;
  let proxy: TcpProxy;
  let publisher: EventPublisher;
  let runner: ConsumerRunner | undefined;
  let dlq: TopicReader | undefined;

  beforeAll(async () => {
    kafka = testKafka();
    producer = kafka.producer();
    admin = kafka.admin();
    await Promise.all([producer.connect(), admin.connect()]);
    redis = new Redis(testServers().redisUrl);
    const dbName = testDatabaseName(`runner_outage_${style}`);
    direct = await mongoose.createConnection(testServers().mongoUri, { dbName }).asPromise();
    const relay = await mongoBehindProxy(testServers().mongoUri);
    proxy = relay.proxy;
    // Short timeouts: an operation during the outage fails within a second instead of queueing.
    proxied = await mongoose.createConnection(relay.uri, { dbName, serverSelectionTimeoutMS: 1_000, heartbeatFrequencyMS: 500 }).asPromise();
  });

  afterEach(async () => {
    await runner?.stop();
    await dlq?.stop();
    await publisher?.disconnect();
    await proxy.restore().catch(() => undefined);
  });

  afterAll(async () => {
    await proxied.close();
    await proxy.stop();
    await direct.dropDatabase();
    await direct.close();
    await Promise.all([producer.disconnect(), admin.disconnect()]);
    redis.disconnect();
  });

  async function scenario(name: string) {
    const prefix = `${uniqueName(name)}.`;
    const topic = prefix + TOPICS.coreCustomers;
    await ensureTopics(kafka, [{ topic: TOPICS.coreCustomers }, { topic: TOPICS.deadLetter }], { topicPrefix: prefix });
    publisher = new EventPublisher(kafka, { topicPrefix: prefix });
    const events = Array.from({ length: 10 }, () => sampleEnvelope(TOPICS.coreCustomers, 'CustomerUpserted'));
    const poison = new Set(events.slice(0, 3).map((e) => e.eventId));
    const effects = `effects_${name}`;
    // The effect: one document per event, written through the relay (no mongoose buffering).
    const apply = async (envelope: EventEnvelope) => {
      if (poison.has(envelope.eventId)) throw new TypeError("Cannot read properties of undefined (reading 'branchId')");
      try {
        await proxied.db!.collection<{ _id: string }>(effects).insertOne({ _id: envelope.eventId });
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
    };
    const batch: BatchHandler = async (records) => {
      for (const r of records) if (r.decoded.ok) await apply(r.decoded.envelope);
      return records.map(() => ({ status: 'applied' as const }));
    };
    const outages = { declared: 0 };
    const ignore = () => undefined;
    const groupId = uniqueName('outage-group');
    runner = new ConsumerRunner({
      kafka,
      groupId,
      service: 'outage-test',
      topics: [TOPICS.coreCustomers],
      topicPrefix: prefix,
      handlers: style === 'per-type' ? new Map([['CustomerUpserted', apply]]) : new Map(),
      ...(style === 'batch' && { batchHandlers: new Map([[TOPICS.coreCustomers, batch]]) }),
      deadLetters: publisher,
      retry: { maxAttempts: 3, initialDelayMs: 20, maxDelayMs: 50 },
      probe: dependencyProbe(redis, proxied),
      logger: { debug: ignore, info: ignore, warn: ignore, error: (m: string) => void (m.includes('outage') && outages.declared++) },
    });
    dlq = await new TopicReader(kafka, [prefix + TOPICS.deadLetter]).start();
    const key = `core-banking:${name}`;
    await producer.send({ topic, messages: events.map((e) => ({ key, value: JSON.stringify(e) })) });
    const applied = async () => (await direct.db!.collection<{ _id: string }>(effects).find({}).toArray()).map((d) => d._id).sort();
    const committed = async () => {
      const [{ partitions }] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
    };
    const good = events.filter((e) => !poison.has(e.eventId)).map((e) => e.eventId).sort();
    return { runner, dlq, outages, applied, committed, good };
  }

  /** All 7 good records applied once, exactly the 3 poison ones dead-lettered as HANDLER_FAILED, every offset committed. */
  async function expectPoisonDeadLetteredAndTheRestApplied(s: Awaited<ReturnType<typeof scenario>>) {
    await waitFor(async () => (await s.applied()).length === 7 && s.dlq.records.length >= 3, 120_000, '7 applied and 3 dead letters');
    await waitFor(async () => (await s.committed()) === 10, 60_000, 'all 10 offsets committed');
    expect(await s.applied()).toEqual(s.good);
    const letters = s.dlq.json<{ payload: { offset: string; attempts: number; reason: { code: string } } }>().map((l) => l.payload);
    expect([...new Set(letters.map((l) => l.offset))].sort()).toEqual(['0', '1', '2']);
    expect(letters.every((l) => l.reason.code === 'HANDLER_FAILED' && l.attempts === 3)).toBe(true);
  }

  it('dependencies healthy: the three poison records are dead-lettered, the records after them applied, offsets committed', async () => {
    const s = await scenario(`healthy_${style.replace('-', '')}`);
    await s.runner.start();
    await expectPoisonDeadLetteredAndTheRestApplied(s);
    expect(s.outages.declared).toBe(0);
  });

  it('database down: nothing is dead-lettered; consumption resumes when it is back, and nothing is lost', async () => {
    await proxy.cut();
    const s = await scenario(`down_${style.replace('-', '')}`);
    await s.runner.start();
    await waitFor(() => s.outages.declared >= 2, 120_000, 'the outage declared, and declared again on redelivery');
    expect(s.dlq.records).toHaveLength(0);
    expect(await s.applied()).toEqual([]);
    expect(await s.committed()).toBe(0);
    await proxy.restore();
    await expectPoisonDeadLetteredAndTheRestApplied(s);
  });
});

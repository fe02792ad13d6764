import { EnvelopeInit, TOPICS, allTopicTypes } from '@meridian/events';
import { sampleEnvelope } from '@meridian/events/testing';
import { BatchHandler, ConsumerRunner, EventHandler, EventPublisher, PermanentEventError, ensureTopics } from '@meridian/events/kafka';
import Redis from 'ioredis';
import { Kafka, Producer } from 'kafkajs';
import { Connection } from 'mongoose';
import { TopicReader, dropTestMongo, testKafka, testMongo, testServers, uniqueName, waitFor } from '../testing';
import { MetricsService } from '../metrics/metrics.service';
import { LayeredIdempotencyGuard, MongoIdempotencyGuard, RedisIdempotencyGuard } from './idempotency-guards';

/** Issue 2 "must show": the consumer runner against a real broker, MongoDB-wire server and Redis. */
describe('ConsumerRunner on real Kafka', () => {
  let kafka: Kafka;
  let prefix: string;
  let publisher: EventPublisher;
  let producer: Producer;
  let mongo: Connection;
  let redis: Redis;
  const runners: ConsumerRunner[] = [];
  const readers: TopicReader[] = [];

  const allTopics = Object.values(TOPICS);
  /** The dependencies answer: failures that go on are poison. */
  const healthy = async () => undefined;

  function runner(handlers: Record<string, EventHandler>, overrides: Partial<ConstructorParameters<typeof ConsumerRunner>[0]> = {}) {
    const r = new ConsumerRunner({
      kafka,
      groupId: uniqueName('group'),
      service: 'runner-test',
      topics: [TOPICS.coreCustomers],
      topicPrefix: prefix,
      handlers: new Map(Object.entries(handlers)),
      deadLetters: publisher,
      retry: { maxAttempts: 3, initialDelayMs: 20, maxDelayMs: 50 },
      probe: healthy,
      ...overrides,
    });
    runners.push(r);
    return r;
  }

  async function reader(topics: string[]) {
    const r = await new TopicReader(kafka, topics.map((t) => prefix + t)).start();
    readers.push(r);
    return r;
  }

  beforeEach(async () => {
    // Each test gets its own topics, so one test's records never reach another's readers.
    prefix = `${uniqueName('runner')}.`;
    await ensureTopics(kafka, allTopics.map((topic) => ({ topic })), { topicPrefix: prefix });
    publisher = new EventPublisher(kafka, { topicPrefix: prefix });
    await publisher.connect();
  });

  beforeAll(async () => {
    kafka = testKafka();
    producer = kafka.producer();
    await producer.connect();
    mongo = await testMongo('consumer_runner');
    redis = new Redis(testServers().redisUrl);
  });

  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
    await Promise.all(readers.splice(0).map((r) => r.stop()));
    await publisher.disconnect();
  });

  afterAll(async () => {
    await producer.disconnect();
    await dropTestMongo(mongo);
    redis.disconnect();
  });

  it('round-trips every event type of CONTRACTS.md: publish → consume → decoded equal', async () => {
    const pairs = allTopicTypes();
    const sent = pairs.map(({ topic, type }) => ({ topic, envelope: sampleEnvelope(topic, type) }));
    const received = new Map<string, { topic: string; envelope: unknown; key: string | null }>();
    const handlers: Record<string, EventHandler> = {};
    for (const { type } of pairs) {
      handlers[type] = async (envelope, ctx) => {
        received.set(envelope.eventId, { topic: ctx.topic, envelope: JSON.parse(JSON.stringify(envelope)), key: ctx.key });
      };
    }
    await runner(handlers, { topics: allTopics }).start();
    const raw = await reader([TOPICS.customer, TOPICS.coreCustomers]);
    await publisher.publishAll(sent);

    await waitFor(() => received.size === sent.length, 60_000, `${sent.length} events`);
    for (const { topic, envelope } of sent) {
      const got = received.get(envelope.eventId)!;
      expect(got.topic).toBe(topic);
      expect(got.envelope).toEqual(envelope);
    }
    // Keys and headers as CONTRACTS.md §1 says.
    await waitFor(() => raw.records.length >= 2, 30_000, 'raw records');
    const byTopic = new Map(raw.records.map((r) => [r.topic.slice(prefix.length), r.message]));
    expect(byTopic.get(TOPICS.customer)!.key!.toString()).toBe('C0000123');
    expect(byTopic.get(TOPICS.coreCustomers)!.key!.toString()).toBe('core-banking:CB-000123');
    const headers = byTopic.get(TOPICS.customer)!.headers!;
    expect(headers['type']!.toString()).toBe('CustomerUpserted');
    expect(headers['schema-version']!.toString()).toBe('1');
    expect(headers['content-type']!.toString()).toBe('application/json');
  });

  it('held still by pause(): starts paused, takes nothing until resume(); a run in backoff is abandoned uncommitted and delivered again after', async () => {
    const [first, second] = [sampleEnvelope(TOPICS.coreCustomers, 'CustomerUpserted'), sampleEnvelope(TOPICS.coreCustomers, 'CustomerUpserted')];
    const handled: string[] = [];
    let failing = false;
    let attemptsWhileFailing = 0;
    const r = runner(
      {
        CustomerUpserted: async (envelope) => {
          if (failing) {
            attemptsWhileFailing++;
            throw new Error('the store refuses for now');
          }
          handled.push(envelope.eventId);
        },
      },
      { retry: { maxAttempts: 50, initialDelayMs: 200, maxDelayMs: 400 } },
    );
    const letters = await reader([TOPICS.deadLetter]);
    await r.pause();
    await r.start();
    await publisher.publishAll([{ topic: TOPICS.coreCustomers, envelope: first }]);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(handled).toEqual([]);
    r.resume();
    await waitFor(() => handled.includes(first.eventId), 30_000, 'the first record after resume()');

    failing = true;
    await publisher.publishAll([{ topic: TOPICS.coreCustomers, envelope: second }]);
    await waitFor(() => attemptsWhileFailing >= 2, 30_000, 'the second record retried');
    await r.pause(); // resolves once the retrying run is abandoned
    const attemptsAtPause = attemptsWhileFailing;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(attemptsWhileFailing).toBe(attemptsAtPause);
    failing = false;
    r.resume();
    await waitFor(() => handled.includes(second.eventId), 30_000, 'the abandoned record delivered again');
    expect(handled).toEqual([first.eventId, second.eventId]);
    expect(letters.records).toEqual([]);
  }, 90_000);

  it('dead-letters garbage, invalid JSON, unknown types, invalid payloads and a failing handler — and keeps consuming', async () => {
    const topic = prefix + TOPICS.coreCustomers;
    const key = 'core-banking:SAME-PARTITION';
    const good = sampleEnvelope(TOPICS.coreCustomers, 'CustomerUpserted');
    const poison = sampleEnvelope(TOPICS.coreCustomers, 'CustomerUpserted');
    const invalid = sampleEnvelope(TOPICS.coreCustomers, 'CustomerUpserted');
    (invalid.payload as Record<string, unknown>).idNumber = '110105194912310021';
    const values: Array<[string, Buffer]> = [
      ['INVALID_ENCODING', Buffer.from([0xc3, 0x28, 0xa0, 0xa1])],
      ['INVALID_JSON', Buffer.from('{"eventId": "half')],
      ['UNKNOWN_TYPE', Buffer.from(JSON.stringify({ ...good, eventId: 'unknown-1', type: 'CustomerTeleported' }))],
      ['INVALID_PAYLOAD', Buffer.from(JSON.stringify(invalid))],
      ['HANDLER_FAILED', Buffer.from(JSON.stringify(poison))],
      ['OK', Buffer.from(JSON.stringify(good))],
    ];
    const handled: string[] = [];
    let poisonAttempts = 0;
    const r = runner({
      CustomerUpserted: async (envelope) => {
        if (envelope.eventId === poison.eventId) {
          poisonAttempts++;
          throw new Error('core banking lookup failed');
        }
        handled.push(envelope.eventId);
      },
    });
    const dlq = await reader([TOPICS.deadLetter]);
    await r.start();
    await producer.send({ topic, messages: values.map(([, value]) => ({ key, value })) });

    await waitFor(() => handled.includes(good.eventId), 60_000, 'the good record after the bad ones');
    await waitFor(() => dlq.records.length === 5, 30_000, '5 dead letters');
    const letters = dlq.json<{ type: string; payload: Record<string, any> }>();
    expect(letters.map((l) => l.payload.reason.code)).toEqual(values.slice(0, 5).map(([code]) => code));
    letters.forEach((letter, i) => {
      expect(letter.type).toBe('DeadLetter');
      expect(letter.payload.originalTopic).toBe(topic);
      expect(letter.payload.service).toBe('runner-test');
      expect(letter.payload.key).toBe(key);
      expect(Buffer.from(letter.payload.rawValue, 'base64')).toEqual(values[i][1]);
      expect(typeof letter.payload.offset).toBe('string');
    });
    expect(letters[3].payload.reason).toMatchObject({ field: 'payload.idNumber', rule: 'isPrcResidentId' });
    expect(letters[4].payload.attempts).toBe(3);
    expect(poisonAttempts).toBe(3);
    expect(dlq.records.every((rec) => rec.message.key!.toString() === key)).toBe(true);
  });

  it('applies a record whose failures end during its retries (a failover): the last attempt comes after the dependency check', async () => {
    const e = sampleEnvelope(TOPICS.coreCustomers, 'CustomerUpserted');
    const attempts: number[] = [];
    let failoverOver = false;
    const r = runner(
      {
        CustomerUpserted: async (_envelope, ctx) => {
          attempts.push(ctx.attempt);
          if (!failoverOver) throw new Error('not primary');
        },
      },
      // The database answers again by the time the runner asks it.
      { probe: async () => void (failoverOver = true) },
    );
    const dlq = await reader([TOPICS.deadLetter]);
    await r.start();
    await publisher.publish(TOPICS.coreCustomers, e);
    await waitFor(() => attempts.length === 3, 30_000, 'three attempts');
    await new Promise((res) => setTimeout(res, 1_000));
    expect(attempts).toEqual([1, 2, 3]); // two attempts, the check, then the last of its budget of 3
    expect(dlq.records).toHaveLength(0);
  });

  it('dead-letters a PermanentEventError at once, without retries', async () => {
    const e = sampleEnvelope(TOPICS.coreCustomers, 'CustomerUpserted');
    let attempts = 0;
    const r = runner({
      CustomerUpserted: async () => {
        attempts++;
        throw new PermanentEventError('branch BR001 is closed', 'payload.branchId', 'branchOpen');
      },
    });
    const dlq = await reader([TOPICS.deadLetter]);
    await r.start();
    await publisher.publish(TOPICS.coreCustomers, e);
    await waitFor(() => dlq.records.length === 1, 30_000, 'a dead letter');
    expect(dlq.json<{ payload: any }>()[0].payload).toMatchObject({
      attempts: 1,
      reason: { code: 'REJECTED', field: 'payload.branchId', rule: 'branchOpen' },
    });
    expect(attempts).toBe(1);
  });

  it('applies an event delivered twice once (Redis window + MongoDB record)', async () => {
    const guard = new LayeredIdempotencyGuard(
      new RedisIdempotencyGuard(redis, 3600, `${prefix}applied:`),
      new MongoIdempotencyGuard(mongo, { collectionName: `applied_${prefix.replace(/\W/g, '_')}` }),
    );
    const e = sampleEnvelope(TOPICS.coreCustomers, 'CustomerUpserted');
    const marker = sampleEnvelope(TOPICS.coreCustomers, 'CustomerUpserted');
    const effects: string[] = [];
    const r = runner({ CustomerUpserted: async (envelope) => void effects.push(envelope.eventId) }, { guard });
    await r.start();
    await publisher.publish(TOPICS.coreCustomers, [e, e]);
    await publisher.publish(TOPICS.coreCustomers, e); // a producer retry, later
    await publisher.publish(TOPICS.coreCustomers, marker);
    await waitFor(() => effects.includes(marker.eventId), 30_000, 'the marker');
    expect(effects.filter((id) => id === e.eventId)).toHaveLength(1);

    // Redis flushed of the key: the durable record still says applied.
    await redis.del(`${prefix}applied:${(r as any).options.groupId}:${e.eventId}`);
    const again = sampleEnvelope(TOPICS.coreCustomers, 'CustomerUpserted');
    await publisher.publish(TOPICS.coreCustomers, [e, again]);
    await waitFor(() => effects.includes(again.eventId), 30_000, 'the second marker');
    expect(effects.filter((id) => id === e.eventId)).toHaveLength(1);
  });

  it('loses nothing when stopped mid-stream and restarted (count reconciliation)', async () => {
    const total = 400;
    const events: EnvelopeInit[] = Array.from({ length: total }, (_, i) =>
      sampleEnvelope(TOPICS.coreCustomers, 'CustomerUpserted', {
        payload: { ...(sampleEnvelope(TOPICS.coreCustomers, 'CustomerUpserted').payload as object), sourceCustomerId: `CB-${i % 37}` },
      }),
    );
    const groupId = uniqueName('restart');
    const guard = new LayeredIdempotencyGuard(
      new RedisIdempotencyGuard(redis, 3600, `${groupId}:`),
      new MongoIdempotencyGuard(mongo, { collectionName: `applied_${groupId}` }),
    );
    const applied: string[] = [];
    const handler: EventHandler = async (envelope) => {
      await new Promise((r) => setTimeout(r, 2));
      applied.push(envelope.eventId);
    };
    await publisher.publish(TOPICS.coreCustomers, events);

    const first = runner({ CustomerUpserted: handler }, { groupId, guard, commitEvery: 10 });
    await first.start();
    await waitFor(() => applied.length >= 100, 60_000, '100 applied');
    await first.stop();
    const atStop = applied.length;
    expect(atStop).toBeLessThan(total);

    const second = runner({ CustomerUpserted: handler }, { groupId, guard });
    await second.start();
    await waitFor(() => new Set(applied).size === total, 60_000, `all ${total} applied`);
    await new Promise((r) => setTimeout(r, 500));
    // Nothing lost, nothing applied twice.
    expect(new Set(applied).size).toBe(total);
    expect(applied).toHaveLength(total);
    expect(new Set(applied)).toEqual(new Set(events.map((e) => e.eventId)));
  });

  it('leaves no consumer running when stop() comes while start() is still connecting', async () => {
    const handled: string[] = [];
    const groupId = uniqueName('stop-early');
    const r = runner(
      { CustomerUpserted: async (envelope) => void handled.push(envelope.eventId) },
      { groupId, prepare: () => new Promise((res) => setTimeout(res, 300)) },
    );
    await publisher.publish(TOPICS.coreCustomers, sampleEnvelope(TOPICS.coreCustomers, 'CustomerUpserted'));
    const starting = r.start();
    await new Promise((res) => setTimeout(res, 100)); // start() is in prepare()
    await r.stop();
    await starting;
    expect(r.isRunning).toBe(false);
    // A consumer that joined anyway would consume the record and hold a place in the group by now.
    await new Promise((res) => setTimeout(res, 6_000));
    expect(handled).toEqual([]);
    const admin = kafka.admin();
    await admin.connect();
    const { groups } = await admin.describeGroups([groupId]);
    await admin.disconnect();
    expect(groups[0].members).toEqual([]);
  });

  it('labels metrics with registered event types only: a random type read from a bad record is `unknown`', async () => {
    const metrics = new MetricsService('runner-test');
    const good = sampleEnvelope(TOPICS.coreCustomers, 'CustomerUpserted');
    const randomType = `Teleported${Date.now().toString(36)}`;
    const handled: string[] = [];
    const r = runner({ CustomerUpserted: async (envelope) => void handled.push(envelope.eventId) }, { metrics });
    await r.start();
    await producer.send({
      topic: prefix + TOPICS.coreCustomers,
      messages: [{ key: 'k', value: JSON.stringify({ ...good, eventId: 'random-type-1', type: randomType }) }, { key: 'k', value: JSON.stringify(good) }],
    });
    await waitFor(() => handled.includes(good.eventId), 30_000, 'the good record');
    const text = await metrics.registry.metrics();
    expect(text).not.toContain(randomType);
    expect(text).toMatch(/meridian_messages_consumed_total\{[^}]*type="unknown"[^}]*outcome="dead_lettered"/);
    expect(text).toMatch(/meridian_messages_consumed_total\{[^}]*type="CustomerUpserted"[^}]*outcome="applied"/);
  });

  describe('batch handlers (kafkajs eachBatch runs)', () => {
    it('hands over runs in offset order, dead-letters decode failures and rejected records, applies the rest', async () => {
      const key = 'core-banking:ONE-PARTITION';
      const good = Array.from({ length: 30 }, () => sampleEnvelope(TOPICS.coreCustomers, 'CustomerUpserted'));
      const rejectMe = sampleEnvelope(TOPICS.coreCustomers, 'CustomerUpserted');
      const seen: string[] = [];
      let runs = 0;
      const handler: BatchHandler = async (records) => {
        runs++;
        return records.map((r) => {
          if (!r.decoded.ok) return { status: 'skipped' as const };
          seen.push(r.decoded.envelope.eventId);
          return r.decoded.envelope.eventId === rejectMe.eventId
            ? { status: 'rejected' as const, reason: { code: 'REJECTED' as const, message: 'branch closed', field: 'payload.branchId', rule: 'branchOpen' } }
            : { status: 'applied' as const };
        });
      };
      const r = runner({}, { batchHandlers: new Map([[TOPICS.coreCustomers, handler]]), maxBatchSize: 8 });
      const dlq = await reader([TOPICS.deadLetter]);
      const values = [
        ...good.slice(0, 10).map((e) => Buffer.from(JSON.stringify(e))),
        Buffer.from('not json'),
        Buffer.from(JSON.stringify(rejectMe)),
        ...good.slice(10).map((e) => Buffer.from(JSON.stringify(e))),
      ];
      await producer.send({ topic: prefix + TOPICS.coreCustomers, messages: values.map((value) => ({ key, value })) });
      await r.start();
      await waitFor(() => seen.length === 31, 60_000, '31 decoded records handled');
      await waitFor(() => dlq.records.length === 2, 30_000, '2 dead letters');
      expect(seen).toEqual([...good.slice(0, 10), rejectMe, ...good.slice(10)].map((e) => e.eventId));
      expect(runs).toBeGreaterThanOrEqual(4); // 32 records in runs of at most 8
      const letters = dlq.json<{ payload: any }>().map((l) => l.payload);
      expect(letters.map((l) => l.reason.code).sort()).toEqual(['INVALID_JSON', 'REJECTED']);
      expect(letters.find((l) => l.reason.code === 'REJECTED')).toMatchObject({ reason: { field: 'payload.branchId', rule: 'branchOpen' }, key });
    });

    it('isolates a poison record of a failing run: dead-letters it after its retries, applies the others once, in order', async () => {
      const key = 'core-banking:POISON';
      const events = Array.from({ length: 12 }, () => sampleEnvelope(TOPICS.coreCustomers, 'CustomerUpserted'));
      const poison = events[5];
      // The effect is idempotent (the dependency check re-runs the last record that went through): first applications, in order.
      const applied: string[] = [];
      let poisonAttempts = 0;
      const handler: BatchHandler = async (records) => {
        const ids = records.map((r) => (r.decoded.ok ? r.decoded.envelope.eventId : ''));
        if (ids.includes(poison.eventId)) {
          if (records.length === 1) poisonAttempts++;
          throw new Error('cannot apply ' + poison.eventId);
        }
        applied.push(...ids.filter((id) => !applied.includes(id)));
        return records.map(() => ({ status: 'applied' as const }));
      };
      const r = runner({}, { batchHandlers: new Map([[TOPICS.coreCustomers, handler]]) });
      const dlq = await reader([TOPICS.deadLetter]);
      await producer.send({ topic: prefix + TOPICS.coreCustomers, messages: events.map((e) => ({ key, value: JSON.stringify(e) })) });
      await r.start();
      await waitFor(() => dlq.records.length === 1, 60_000, 'the poison dead letter');
      await waitFor(() => applied.length === 11, 30_000, 'the 11 others');
      expect(applied).toEqual(events.filter((e) => e !== poison).map((e) => e.eventId));
      expect(poisonAttempts).toBe(3);
      expect(dlq.json<{ payload: any }>()[0].payload).toMatchObject({ attempts: 3, reason: { code: 'HANDLER_FAILED' } });
    });

    it('passes over, undecoded, the records whose type header names another type of the topic — and decodes those without one or with a type the topic has not', async () => {
      const key = 'C-TYPES';
      const events = Array.from({ length: 6 }, () => sampleEnvelope(TOPICS.segment, 'TierChanged'));
      const seen: string[] = [];
      const handler: BatchHandler = async (records) =>
        records.map((r) => {
          seen.push(r.decoded.ok ? r.decoded.envelope.eventId : 'undecodable');
          return { status: r.decoded.ok ? ('applied' as const) : ('skipped' as const) };
        });
      const r = runner({}, { topics: [TOPICS.segment], batchHandlers: new Map([[TOPICS.segment, handler]]), batchTypes: new Map([[TOPICS.segment, new Set(['TierChanged'])]]), maxBatchSize: 3 });
      const dlq = await reader([TOPICS.deadLetter]);
      const typed = (e: EnvelopeInit) => ({ key, value: JSON.stringify(e), headers: { type: 'TierChanged' } });
      await producer.send({
        topic: prefix + TOPICS.segment,
        messages: [
          ...events.slice(0, 3).map(typed),
          // Another type of the topic's, broken: not this handler's input, so never decoded (nor dead-lettered) here — a whole run of them.
          ...Array.from({ length: 3 }, () => ({ key, value: 'not json', headers: { type: 'SegmentMembershipChanged' } })),
          // No type header, or one the topic has not (a redrive carrying a dead letter's): decoded as on any topic — and dead-lettered, being broken.
          { key, value: 'not json either' },
          { key, value: 'nor this', headers: { type: 'DeadLetter' } },
          ...events.slice(3).map(typed),
        ],
      });
      await r.start();
      await waitFor(() => seen.filter((id) => id !== 'undecodable').length === 6, 60_000, 'the six records of the type handled');
      await waitFor(() => dlq.records.length === 2, 30_000, 'the two broken records decoded dead-lettered');
      expect(seen.filter((id) => id !== 'undecodable')).toEqual(events.map((e) => e.eventId));
      // The handler saw the two broken records decoded: the other type's never reached it.
      expect(seen.filter((id) => id === 'undecodable')).toHaveLength(2);
      expect(dlq.json<{ payload: any }>().map((l) => l.payload.reason.code)).toEqual(['INVALID_JSON', 'INVALID_JSON']);
    });

    /**
     * Ten records under `key` through a batch handler whose database is `down` until the
     * runner declares an outage — it comes back the moment the runner says so (before it
     * throws), so no handler call races the switch: deterministic.
     */
    async function outageScenario(key: string, down: boolean, handle: (ids: string[], db: { down: boolean; outages: number }, events: EnvelopeInit[]) => void, probeSeesDb = false, count = 10) {
      const events = Array.from({ length: count }, () => sampleEnvelope(TOPICS.coreCustomers, 'CustomerUpserted'));
      const db = { down, outages: 0 };
      const handler: BatchHandler = async (records) => {
        handle(records.map((r) => (r.decoded.ok ? r.decoded.envelope.eventId : '')), db, events);
        return records.map(() => ({ status: 'applied' as const }));
      };
      const ignore = () => undefined;
      const logger = { debug: ignore, info: ignore, warn: ignore, error: (m: string) => void (m.includes('outage') && db.outages++ === 0 && (db.down = false)) };
      const probe = async () => {
        if (db.down) throw new Error('database unavailable');
      };
      // probeSeesDb: the probe answers for the handler's database; else it answers healthy, and only the canary can tell.
      const r = runner({}, { logger, batchHandlers: new Map([[TOPICS.coreCustomers, handler]]), ...(probeSeesDb && { probe }) });
      const dlq = await reader([TOPICS.deadLetter]);
      await producer.send({ topic: prefix + TOPICS.coreCustomers, messages: events.map((e) => ({ key, value: JSON.stringify(e) })) });
      await r.start();
      return { events, db, dlq };
    }

    it('treats a run that fails for every record, with the probe failing, as an outage: nothing dead-lettered, all applied once it recovers', async () => {
      let failures = 0;
      const applied: string[] = [];
      const { db, dlq } = await outageScenario(
        'core-banking:OUTAGE',
        true,
        (ids, state) => {
          if (state.down) {
            failures++;
            throw new Error('database unavailable');
          }
          applied.push(...ids);
        },
        true,
      );
      await waitFor(() => db.outages === 1, 60_000, 'the outage to be declared');
      expect(failures).toBe(2 + 2); // the run twice, then the first record with all but its last attempt (kept for after the check)
      await waitFor(() => new Set(applied).size === 10, 90_000, 'all 10 applied after recovery');
      expect(dlq.records).toHaveLength(0);
    });

    /**
     * Record 0 is poison; the database goes away once `downAfter` good records are in, and comes
     * back when the runner declares the outage. `fromMemory`: the handler answers a record it
     * applied before without its database (as ingest's de-duplication does from Redis).
     */
    async function poisonThenOutage(key: string, downAfter: number, options: { probe?: boolean; fromMemory?: boolean } = {}) {
      const applied = new Set<string>();
      const scenario = await outageScenario(
        key,
        false,
        (ids, state, all) => {
          if (ids.includes(all[0].eventId)) throw new Error('cannot apply ' + all[0].eventId);
          if (options.fromMemory && ids.every((id) => applied.has(id))) return;
          if (state.down) throw new Error('database unavailable');
          ids.forEach((id) => applied.add(id));
          if (applied.size === downAfter && !state.outages) state.down = true;
        },
        options.probe,
      );
      return { ...scenario, applied };
    }

    /** The outage was declared, the 9 good records applied once it was over, and only the poison dead-lettered. */
    async function expectOnlyThePoisonDeadLettered(run: Awaited<ReturnType<typeof poisonThenOutage>>, why: string) {
      await waitFor(() => run.db.outages === 1, 90_000, `the outage to be declared (${why})`);
      await waitFor(() => run.applied.size === 9 && run.dlq.records.length === 1, 120_000, 'the 9 good records applied, the poison dead-lettered');
      await new Promise((res) => setTimeout(res, 1_000));
      expect(run.dlq.json<{ payload: any }>().map((d) => d.payload.offset)).toEqual(['0']);
      expect(run.applied.has(run.events[0].eventId)).toBe(false);
    }

    it('tells an outage that starts mid-isolation from poison by a canary: nothing good dead-lettered, the poison once', async () => {
      // The database goes away after the first two good records of the isolated run.
      await expectOnlyThePoisonDeadLettered(await poisonThenOutage('core-banking:LATE-OUTAGE', 2), 'the canary failed');
    });

    it('asks the service probe too: a re-run the handler answers without its database does not hide an outage', async () => {
      await expectOnlyThePoisonDeadLettered(await poisonThenOutage('core-banking:PROBED', 2, { probe: true, fromMemory: true }), 'the probe failed');
    });

    it('asks the probe of a lone record that fails (a quiet partition): an outage dead-letters nothing', async () => {
      const applied: string[] = [];
      const { db, dlq } = await outageScenario(
        'core-banking:LONE',
        true,
        (ids, state) => {
          if (state.down) throw new Error('database unavailable');
          applied.push(...ids);
        },
        true,
        1,
      );
      await waitFor(() => db.outages === 1, 60_000, 'the outage to be declared (the probe failed)');
      await waitFor(() => applied.length === 1, 60_000, 'the record applied after recovery');
      expect(dlq.records).toHaveLength(0);
    });

    it('checks failures that end a run too: an outage beginning at its last records dead-letters nothing', async () => {
      // Records 8 and 9 of 0–9 fail: fewer than three.
      await expectOnlyThePoisonDeadLettered(await poisonThenOutage('core-banking:TAIL', 7), 'the check after the run failed');
    });
  });
});

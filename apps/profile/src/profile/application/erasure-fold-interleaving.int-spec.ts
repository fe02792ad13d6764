import { EnvelopeInit, EventEnvelope, TOPICS } from '@meridian/events';
import { residentId, sampleEnvelope } from '@meridian/events/testing';
import { BatchRecord, EventPublisher, ensureTopics } from '@meridian/events/kafka';
import { BlindIndex, FieldEncryption, KeyedMutex, SystemClock, loadConfig } from '@meridian/shared';
import { TopicReader, dropTestMongo, serviceTestEnv, testKafka, testMongo, testServers, uniqueName } from '@meridian/shared/testing';
import Redis from 'ioredis';
import { Kafka } from 'kafkajs';
import { Connection } from 'mongoose';
import { ProfileConfig } from '../../config/profile.config';
import { DataKeyStore } from '../infrastructure/data-key.store';
import { ErasureMarkerRepository } from '../infrastructure/erasure-marker.repository';
import { ProfileEventLogRepository } from '../infrastructure/profile-event-log.repository';
import { ProfileRepository } from '../infrastructure/profile.repository';
import { RedisProfileDueIndex } from '../infrastructure/redis-profile-due-index';
import { ProfileSealing } from '../infrastructure/profile-sealing';
import { FoldProfileEventsUseCase } from './fold-profile-events.use-case';
import { DataKeys } from './ports/data-keys.port';
import { ErasureMarkers } from './ports/erasure-markers.port';
import { PiiIndex } from './ports/pii-index.port';
import { ProfileStore } from './ports/profile-store.port';
import { ProfileEraser } from './profile-eraser';
import { routeProfileRecords } from './route-profile-records';

/** A one-shot barrier: the first caller to reach it waits until the test opens it; later callers pass. */
class Gate {
  readonly reached: Promise<void>;
  private arrive!: () => void;
  private opened!: () => void;
  private readonly open = new Promise<void>((resolve) => (this.opened = resolve));
  private used = false;

  constructor() {
    this.reached = new Promise<void>((resolve) => (this.arrive = resolve));
  }

  async pass(): Promise<void> {
    if (this.used) return;
    this.used = true;
    this.arrive();
    await this.open;
  }

  release(): void {
    this.opened();
  }
}

/** The test seam, injected through the port: the first call of `method` waits at the gate before it runs. */
function pausing<T extends object>(port: T, method: keyof T, gate: Gate): T {
  return new Proxy(port, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      if (prop !== method) return value.bind(target);
      return async (...args: unknown[]) => {
        await gate.pass();
        return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
      };
    },
  });
}

/**
 * FerretDB v1's conditional replace, made deterministic (ADR 0007: it evaluates the filter,
 * then writes by `_id`): the version is compared when the fold writes, the document lands
 * after the gate opens — over whatever was written in between. An insert stays atomic.
 */
function filterThenWrite(store: ProfileRepository, gate: Gate): ProfileStore {
  return new Proxy(store, {
    get(target, prop) {
      if (prop !== 'save') {
        const value = Reflect.get(target, prop, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return async (doc: Parameters<ProfileRepository['save']>[0], previousVersion: number | undefined) => {
        if (previousVersion === undefined) {
          await gate.pass();
          return target.save(doc, undefined);
        }
        if ((await target.loadFresh(doc._id))?.version !== previousVersion) return target.save(doc, previousVersion);
        await gate.pass();
        return target.save(doc, (await target.loadFresh(doc._id))?.version);
      };
    },
  });
}

type Semantics = 'MongoDB 7 (atomic conditional replace)' | 'FerretDB v1 (filter, then write by _id)';
/** Where the erasure stands when the fold's write lands (the erasure is held at the call named). */
type ErasureHeld = 'before its marker' | 'after its marker, before the tombstone' | 'after the tombstone, before the keys go' | 'after the keys went, before look-ups and timeline go' | 'after announcing, before settling' | 'nowhere: it is complete';

/**
 * Issue 9, point 3 "must show": an HTTP erasure on one instance and a fold of the same
 * customer on another, every interesting interleaving, on the real servers — the erasure
 * wins and nothing resurrects: the profile is a tombstone (in the database and the cache),
 * no data key is left (so nothing sealed opens), no look-up key or timeline entry of the
 * customer remains, and the last ProfileUpdated on crm.profile.v1 is ERASED.
 */
describe('erasure against a concurrent fold on another instance (real Kafka, MongoDB-wire server and Redis)', () => {
  let mongo: Connection;
  let redis: Redis;
  let kafka: Kafka;
  let publisher: EventPublisher;
  let reader: TopicReader;
  let config: ProfileConfig;
  let profileTopic: string;
  let offset = 0;

  /** One service instance over the shared servers: its own key cache and locks; ports may be wrapped (the seam). */
  function instance(wrap: { store?: (s: ProfileRepository) => ProfileStore; keys?: (k: DataKeys) => DataKeys; pii?: (p: PiiIndex) => PiiIndex; markers?: (m: ErasureMarkers) => ErasureMarkers } = {}) {
    const encryption = new FieldEncryption(config.FIELD_ENCRYPTION_MASTER_KEY);
    const locks = new KeyedMutex();
    const repository = new ProfileRepository(mongo, redis, config);
    const store = wrap.store?.(repository) ?? repository;
    const pii = wrap.pii?.(repository) ?? repository;
    const dataKeys = new DataKeyStore(mongo, encryption, config);
    const keys = wrap.keys?.(dataKeys) ?? dataKeys;
    const log = new ProfileEventLogRepository(mongo, locks, config);
    const markerRepository = new ErasureMarkerRepository(mongo);
    const markers = wrap.markers?.(markerRepository) ?? markerRepository;
    const eraser = new ProfileEraser(store, pii, keys, publisher, log, markers);
    const fold = new FoldProfileEventsUseCase(store, log, pii, keys, new ProfileSealing(encryption), new BlindIndex(config.BLIND_INDEX_KEY), publisher, config, locks, new SystemClock(), eraser, new RedisProfileDueIndex(redis, config));
    return { repository, dataKeys, log, eraser, fold };
  }

  /** Records of a run as the consumer hands them over. */
  function run(events: Array<{ topic: string; envelope: EnvelopeInit }>) {
    const records: BatchRecord[] = events.map(({ topic, envelope }) => ({
      context: { topic, physicalTopic: topic, partition: 0, offset: String(++offset), key: envelope.customerId ?? null, headers: {}, attempt: 1 },
      value: null,
      decoded: { ok: true, envelope: envelope as EventEnvelope },
    }));
    return routeProfileRecords(records).folds;
  }

  function customer(id: string, phone: string, day: string) {
    const e = sampleEnvelope(TOPICS.customer, 'CustomerUpserted', { customerId: id, occurredAt: `2026-03-${day}T10:00:00+08:00` });
    Object.assign(e.payload as object, { sourceCustomerId: `S-${id}`, idNumber: residentId('19880214', '110105', String(100 + (offset % 800))), name: '王五', phone, branchId: 'BR001', rmId: 'RM-1' });
    return { topic: TOPICS.customer, envelope: e };
  }
  function transaction(id: string, day: string) {
    const e = sampleEnvelope(TOPICS.transaction, 'TransactionPosted', { customerId: id, occurredAt: `2026-03-${day}T11:00:00+08:00` });
    Object.assign(e.payload as object, { transactionId: uniqueName('T'), amountMinor: 50_00, category: 'PURCHASE', direction: 'DEBIT', bookedAt: `2026-03-${day}T11:00:00+08:00` });
    return { topic: TOPICS.transaction, envelope: e };
  }

  /** What must hold once the erasure and the fold are both done. */
  async function expectErasedForGood(id: string, phone: string) {
    const stored = await mongo.collection('profiles').findOne({ _id: id } as never);
    expect(stored).toMatchObject({ status: 'ERASED' });
    expect(stored?.sealed).toBeUndefined();
    expect(stored?.outbox).toBeUndefined();
    expect((await instance().repository.load([id])).get(id)).toMatchObject({ status: 'ERASED' });
    expect(await mongo.collection('data_keys').countDocuments({ _id: id } as never)).toBe(0);
    expect(await instance().dataKeys.keyOf(id)).toBeUndefined();
    expect(await mongo.collection('pii_index').countDocuments({ customerId: id })).toBe(0);
    expect(await instance().repository.findByPii(`PHONE:${new BlindIndex(config.BLIND_INDEX_KEY).compute('PHONE', phone)}`)).toBeUndefined();
    for (const c of ['timeline_roots', 'timeline_pages', 'timeline_buckets']) {
      const ids = (await mongo.collection(c).find({}).project({ _id: 1 }).toArray()).map((d) => String(d._id));
      expect(ids.filter((d) => d === id || d.startsWith(`${id}|`))).toEqual([]);
    }
    expect(await instance().log.timeline([id], 50)).toEqual([]);
    await reader.readToEnd();
    const updates = reader.json<{ payload: { customerId: string; status?: string; version: number } }>(profileTopic).filter((u) => u.payload.customerId === id);
    expect(updates.at(-1)?.payload.status).toBe('ERASED');
    const newest = Math.max(...updates.map((u) => u.payload.version));
    expect(updates.filter((u) => u.payload.version === newest).every((u) => u.payload.status === 'ERASED')).toBe(true);
  }

  beforeAll(async () => {
    mongo = await testMongo('profile_erasure_race');
    redis = new Redis(testServers().redisUrl);
    const env = serviceTestEnv('profile', { MONGODB_DATABASE: mongo.name });
    config = loadConfig(ProfileConfig, env);
    kafka = testKafka();
    await ensureTopics(kafka, [{ topic: TOPICS.profile }, { topic: TOPICS.governance }], { topicPrefix: env.KAFKA_TOPIC_PREFIX });
    publisher = new EventPublisher(kafka, { topicPrefix: env.KAFKA_TOPIC_PREFIX });
    profileTopic = env.KAFKA_TOPIC_PREFIX + TOPICS.profile;
    reader = await new TopicReader(kafka, [profileTopic]).start();
  });

  afterAll(async () => {
    await reader?.stop();
    await publisher?.disconnect();
    redis?.disconnect();
    await dropTestMongo(mongo);
  });

  const semantics: Semantics[] = ['MongoDB 7 (atomic conditional replace)', 'FerretDB v1 (filter, then write by _id)'];
  const held: Array<{ held: ErasureHeld; wrap: (gate: Gate) => Parameters<typeof instance>[0] }> = [
    { held: 'before its marker', wrap: (g) => ({ markers: (m) => pausing(m, 'record', g) }) },
    { held: 'after its marker, before the tombstone', wrap: (g) => ({ store: (s) => pausing<ProfileStore>(s, 'putTombstone', g) }) },
    { held: 'after the tombstone, before the keys go', wrap: (g) => ({ keys: (k) => pausing(k, 'destroy', g) }) },
    { held: 'after the keys went, before look-ups and timeline go', wrap: (g) => ({ pii: (p) => pausing(p, 'forgetPiiOf', g) }) },
    { held: 'after announcing, before settling', wrap: (g) => ({ store: (s) => pausing<ProfileStore>(s, 'settleErasure', g) }) },
    { held: 'nowhere: it is complete', wrap: () => ({}) },
  ];

  describe.each(semantics)('%s', (writes) => {
    it.each(held)('the fold read before the erasure and writes while the erasure is held $held: erasure wins, nothing resurrects', async ({ wrap }) => {
      const id = uniqueName('C').toUpperCase();
      await instance().fold.execute(run([customer(id, '13911110001', '01')]));

      const fold = new Gate();
      const a = instance({ store: (s) => (writes.startsWith('FerretDB') ? filterThenWrite(s, fold) : pausing<ProfileStore>(s, 'save', fold)) });
      const folded = a.fold.execute(run([customer(id, '13911110002', '05'), transaction(id, '06')]));
      await fold.reached; // read the live profile, logged and indexed the events, about to write

      const erasing = new Gate();
      const b = instance(wrap(erasing));
      const erased = b.eraser.erase((await b.repository.loadFresh(id)) ?? undefined, id, 'admin-1', '2026-03-30T02:00:00.000Z', 'PIPL request');
      await Promise.race([erasing.reached, erased]);

      fold.release();
      await folded;
      erasing.release();
      expect(await erased).toMatchObject({ erasedBy: 'admin-1', keysDestroyed: 1 });
      await expectErasedForGood(id, '13911110002');
    });

    it('the erasure read the profile before the fold wrote, and its tombstone lands over the fold\'s write before the fold\'s check: ERASED above what the fold announced', async () => {
      const id = uniqueName('C').toUpperCase();
      await instance().fold.execute(run([customer(id, '13911110005', '01')]));
      const fold = new Gate();
      const check = new Gate();
      const a = instance({ store: (s) => (writes.startsWith('FerretDB') ? filterThenWrite(s, fold) : pausing<ProfileStore>(s, 'save', fold)), markers: (m) => pausing(m, 'find', check) });
      const folded = a.fold.execute(run([customer(id, '13911110006', '05'), transaction(id, '06')]));
      await fold.reached;
      const beforeTombstone = new Gate();
      const b = instance({ store: (s) => pausing<ProfileStore>(s, 'putTombstone', beforeTombstone) });
      const erased = b.eraser.erase((await b.repository.loadFresh(id)) ?? undefined, id, 'admin-1', '2026-03-30T02:00:00.000Z');
      await beforeTombstone.reached; // marker recorded, profile read (version 1), tombstone (version 2) not yet written
      fold.release();
      await check.reached; // the fold wrote version 3 and announced it; its check has not run
      beforeTombstone.release();
      await erased; // the tombstone at version 2 lands over version 3, and is settled
      check.release();
      await folded;
      await expectErasedForGood(id, '13911110006');
    });
  });

  it('a fold that read the live profile before the erasure and creates its data key after it (key re-created, events logged): shredded again', async () => {
    const id = uniqueName('C').toUpperCase();
    const seed = instance();
    await seed.fold.execute(run([customer(id, '13911110003', '01')]));
    const beforeKeys = new Gate();
    const a = instance({ keys: (k) => pausing(k, 'keysFor', beforeKeys) });
    const records = run([customer(id, '13911110004', '05'), transaction(id, '06')]);
    const folded = a.fold.execute(records);
    await beforeKeys.reached;
    const b = instance();
    await b.eraser.erase((await b.repository.loadFresh(id)) ?? undefined, id, 'admin-1', '2026-03-30T02:00:00.000Z');
    expect(await mongo.collection('data_keys').countDocuments({ _id: id } as never)).toBe(0);
    beforeKeys.release();
    // Its new key does not open the profile it read: the run fails (a transient error: the consumer retries it)…
    await expect(folded).rejects.toThrow('ciphertext failed authentication');
    await expectErasedForGood(id, '13911110004');
    // …and the retry finds the tombstone: nothing logged, nothing keyed.
    expect([...(await a.fold.execute(records)).values()].map((o) => o.status)).toEqual(['skipped', 'skipped']);
    await expectErasedForGood(id, '13911110004');
  });
});

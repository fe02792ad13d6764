import type { ProfileFeatures } from '@meridian/events';
import { SystemClock } from '@meridian/shared';
import { dropTestMongo, testMongo, testServers, uniqueName, waitFor } from '@meridian/shared/testing';
import fc from 'fast-check';
import Redis from 'ioredis';
import type { Connection } from 'mongoose';
import { CampaignConfig } from '../../config/campaign.config';
import type { ProfileFact } from '../application/ports/customer-records.port';
import { DatedChange, factsOf } from '../domain/customer-facts';
import { CachedCustomerRecords } from './cached-customer-records';
import { CustomerFactsCopy } from './customer-facts-copy';
import { CustomerRecordRepository } from './customer-record.repository';
import { RedisCustomerFacts } from './redis-customer-facts';
import { RedisCustomerTraces } from './redis-customer-traces';

const features = (aumMinor: number, tags: string[] = []): ProfileFeatures => ({ aumMinor, productsHeld: [], txnCount30d: 0, txnCount90d: 0, txnAmount30dMinor: 0, txnAmount90dMinor: 0, tags, consents: { marketing: { sms: aumMinor % 2 === 0 } } });
/** Facts with their lists in one order: which segment a hash or a document lists first means nothing to a rule. */
const comparable = (facts: ReturnType<typeof factsOf>) => facts && { ...facts, segments: [...facts.segments].sort(), tags: [...facts.tags].sort() };
const at = (min: number) => new Date(Date.UTC(2026, 11, 2, 2, min)).toISOString();

/**
 * The facts decisions read (ADR 0015), on the real MongoDB-wire server and Redis: the Redis copy
 * agrees with MongoDB's whatever order and batches the news comes in; until it is complete the
 * decisions read MongoDB, and the copy job makes it complete from MongoDB's customers.
 */
describe('CachedCustomerRecords (MongoDB-wire server and Redis)', () => {
  let db: Connection;
  let redis: Redis;
  let mongo: CustomerRecordRepository;
  const made: Array<{ copy: CustomerFactsCopy; config: CampaignConfig }> = [];

  /** Records on their own Redis prefix (a deployment of their own), over the one MongoDB database. */
  const records = (prefix = `${uniqueName('test_facts')}:`) => {
    const config = Object.assign(new CampaignConfig(), { MONGODB_DATABASE: prefix.slice(0, -1), REDIS_URL: testServers().redisUrl, CAMPAIGN_FACTS_COPY_STEP: 7 });
    const facts = new RedisCustomerFacts(redis, config);
    const copy = new CustomerFactsCopy(config, mongo, facts, new RedisCustomerTraces(redis, config), new SystemClock());
    made.push({ copy, config });
    return { facts, copy, cached: new CachedCustomerRecords(mongo, facts, copy), prefix };
  };

  /** The facts marked complete, as a copy would at its end. */
  const complete = async (facts: RedisCustomerFacts) => expect(await facts.markComplete('test', await facts.beginCopy('test'))).toBe(true);

  beforeAll(async () => {
    db = await testMongo('campaign_cached_records');
    redis = new Redis(testServers().redisUrl);
    mongo = new CustomerRecordRepository(db);
  });

  afterAll(async () => {
    for (const { copy } of made) await copy.beforeApplicationShutdown();
    const keys = await redis.keys('test_facts_*');
    for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
    redis.disconnect();
    await dropTestMongo(db);
  });

  it('keeps in Redis what MongoDB keeps, whatever order and batches the news comes in', async () => {
    const { facts, cached } = records();
    await complete(facts);
    const news = fc.array(
      fc.oneof(
        fc.record({ kind: fc.constant('profile' as const), version: fc.integer({ min: 1, max: 6 }), erased: fc.integer({ min: 0, max: 4 }).map((n) => n === 0), aum: fc.nat(9) }),
        fc.record({ kind: fc.constant('tier' as const), min: fc.nat(20), value: fc.constantFrom('GOLD' as const, 'SILVER' as const, 'MASS' as const) }),
        fc.record({ kind: fc.constant('member' as const), min: fc.nat(20), segmentId: fc.constantFrom('seg.a', 'tag:VIP', 'seg$b'), value: fc.boolean() }),
      ),
      { minLength: 1, maxLength: 12 },
    );
    await fc.assert(
      fc.asyncProperty(news, fc.integer({ min: 1, max: 4 }), async (items, batch) => {
        const customerId = uniqueName('C');
        for (let i = 0; i < items.length; i += batch) {
          const step = items.slice(i, i + batch);
          const profiles: ProfileFact[] = step.flatMap((n) => (n.kind === 'profile' ? [{ customerId, version: n.version, status: n.erased ? ('ERASED' as const) : ('ACTIVE' as const), features: features(n.aum, ['NEW']) }] : []));
          const changes: DatedChange[] = step.flatMap((n): DatedChange[] =>
            n.kind === 'tier' ? [{ customerId, field: 'tier', value: n.value, at: at(n.min) }] : n.kind === 'member' ? [{ customerId, field: 'membership', segmentId: n.segmentId, value: n.value, at: at(n.min) }] : [],
          );
          await cached.recordProfiles(profiles);
          await cached.recordChanges(changes);
        }
        const [fromRedis, fromMongo] = [(await cached.get([customerId])).get(customerId), (await mongo.get([customerId])).get(customerId)];
        expect(comparable(factsOf(fromRedis))).toEqual(comparable(factsOf(fromMongo)));
        expect([fromRedis?.version ?? 0, fromRedis?.status ?? 'ACTIVE']).toEqual([fromMongo?.version ?? 0, fromMongo?.status ?? 'ACTIVE']);
        if (fromMongo?.status !== 'ERASED') expect(fromRedis?.derived.tier?.value).toEqual(fromMongo?.derived.tier?.value);
      }),
      { numRuns: 40 },
    );
  });

  it('keeps nothing of an erased customer but the erasure, and nothing that comes after it', async () => {
    const { facts, cached, prefix } = records();
    await complete(facts);
    await cached.recordChanges([{ customerId: 'E', field: 'tier', value: 'GOLD', at: at(1) }]);
    await cached.recordProfiles([{ customerId: 'E', version: 4, status: 'ERASED', features: features(0) }]);
    await cached.recordProfiles([{ customerId: 'E', version: 9, status: 'ACTIVE', features: features(9) }]);
    await cached.recordChanges([{ customerId: 'E', field: 'lifecycleStage', value: 'ACTIVE', at: at(2) }]);
    expect(await redis.hgetall(`${prefix}cmp:facts:E`)).toEqual({ v: '4', s: 'ERASED' });
    expect(factsOf((await cached.get(['E'])).get('E'))).toBeUndefined();
    // MongoDB keeps the erasure alone too: segmentation's news of the customer, before it and after, is gone.
    expect(await db.collection('customer_profiles').findOne({ _id: 'E' as never })).toMatchObject({ version: 4, status: 'ERASED' });
    expect(await db.collection('customer_segments').findOne({ _id: 'E' as never })).toBeNull();
  });

  it('keeps nothing of segmentation’s news that races an erasure, in MongoDB either', async () => {
    const { facts, cached, prefix } = records();
    await complete(facts);
    const ids = Array.from({ length: 30 }, () => uniqueName('R'));
    await cached.recordChanges(ids.map((customerId) => ({ customerId, field: 'tier', value: 'GOLD', at: at(1) })));
    // The erasures, and the news segmentation sends as it lets the customers go spread over the time they take (two consumers).
    const later = (ms: number, write: () => Promise<unknown>) => new Promise((r) => setTimeout(r, ms)).then(write);
    await Promise.all([
      cached.recordProfiles(ids.map((customerId) => ({ customerId, version: 3, status: 'ERASED' as const, features: features(0) }))),
      ...ids.map((customerId, i) => later(i * 10, () => cached.recordChangesThen([{ customerId, field: 'membership', segmentId: 'seg.a', value: false, at: at(2) }], async () => undefined))),
      ...ids.map((customerId, i) => later(i * 15, () => cached.recordChanges([{ customerId, field: 'lifecycleStage', value: 'DORMANT', at: at(5) }]))),
    ]);
    const left = await Promise.all(ids.map((id) => db.collection('customer_segments').findOne({ _id: id as never })));
    expect(left.filter((d) => d !== null)).toEqual([]);
    expect((await Promise.all(ids.map((id) => redis.hgetall(`${prefix}cmp:facts:${id}`)))).every((h) => h.s === 'ERASED' && Object.keys(h).length === 2)).toBe(true);
  });

  it('a copy forgets what was kept of a customer erased while Redis was away: its traces, and segmentation’s news in MongoDB', async () => {
    const { facts, copy, prefix } = records();
    const customerId = uniqueName('X');
    // Redis was emptied, or restored from before the erasure: it holds the customer's traces, not the erasure; MongoDB holds the erasure, and news that came after it.
    await mongo.recordProfiles([{ customerId, version: 7, status: 'ERASED', features: features(0) }]);
    await mongo.recordChanges([{ customerId, field: 'tier', value: 'GOLD', at: at(3) }]);
    await redis.zadd(`${prefix}cmp:sends:${customerId}`, 1, 'm1');
    await redis.hset(`${prefix}cmp:arms:${customerId}`, 'cmp-a', '{}');
    await redis.zadd(`${prefix}cmp:sends:${customerId}:cmp-a`, 1, 'm1');
    await redis.hset(`${prefix}cmp:optouts:${customerId}`, 'sms', '1');
    copy.onApplicationBootstrap();
    await waitFor(() => facts.isComplete(), 60_000, 'the facts copied');
    expect(await redis.hgetall(`${prefix}cmp:facts:${customerId}`)).toEqual({ v: '7', s: 'ERASED' });
    expect((await redis.keys(`${prefix}*${customerId}*`)).map((k) => k.slice(prefix.length))).toEqual([`cmp:facts:${customerId}`]);
    expect(await db.collection('customer_segments').findOne({ _id: customerId as never })).toBeNull();
  });

  it('keeps an erasure over a higher version that follows it in the same batch, in both copies', async () => {
    const { facts, cached } = records();
    await complete(facts);
    const customerId = uniqueName('E');
    await cached.recordProfiles([{ customerId, version: 5, status: 'ERASED', features: features(0) }, { customerId, version: 6, status: 'ACTIVE', features: features(6) }]);
    const [fromRedis, fromMongo] = [(await cached.get([customerId])).get(customerId), (await mongo.get([customerId])).get(customerId)];
    expect([fromRedis?.status, fromRedis?.version, fromMongo?.status, fromMongo?.version]).toEqual(['ERASED', 5, 'ERASED', 5]);
  });

  it('marks the facts incomplete when Redis refuses a write, so decisions read MongoDB until a copy ran again', async () => {
    const { facts, cached, prefix } = records();
    await complete(facts);
    const customerId = uniqueName('W');
    // The customer's key is not a hash: Redis refuses the write (as it would out of memory).
    await redis.set(`${prefix}cmp:facts:${customerId}`, 'not a hash');
    await expect(cached.recordProfiles([{ customerId, version: 1, status: 'ACTIVE', features: features(4) }])).rejects.toThrow(/WRONGTYPE/);
    expect(await facts.isComplete()).toBe(false);
    // Redis takes writes again (memory freed): what it missed is read from MongoDB meanwhile.
    await redis.del(`${prefix}cmp:facts:${customerId}`);
    expect((await cached.get([customerId])).get(customerId)?.features?.aumMinor).toBe(4);
  });

  it('trusts a completeness mark only from the Redis server run it was made on, and a copy only while its token stands', async () => {
    const { facts, prefix } = records();
    await redis.set(`${prefix}cmp:facts:built`, 'another-server-run');
    expect(await facts.isComplete()).toBe(false);
    const runId = await facts.beginCopy('copy-1');
    // Redis emptied during the copy: its token went with the rest.
    await redis.del(`${prefix}cmp:facts:copying`);
    expect(await facts.markComplete('copy-1', runId)).toBe(false);
    expect(await facts.markComplete('copy-2', await facts.beginCopy('copy-2'))).toBe(true);
    expect(await facts.isComplete()).toBe(true);
  });

  it('decides on the changes as soon as the copy decisions read holds them, and is done once MongoDB holds them too', async () => {
    const change = (customerId: string): DatedChange => ({ customerId, field: 'membership', segmentId: 'seg.then', value: true, at: at(7) });
    const seenBy = async (cached: CachedCustomerRecords, customerId: string) => (await cached.get([customerId])).get(customerId)?.memberships['seg.then']?.in;
    // Complete: the decision reads Redis, which holds the change when it runs.
    const complete_ = records();
    await complete(complete_.facts);
    const a = uniqueName('T');
    expect(await complete_.cached.recordChangesThen([change(a)], () => seenBy(complete_.cached, a))).toBe(true);
    expect((await mongo.get([a])).get(a)?.memberships['seg.then']?.in).toBe(true);
    // Not complete: the decision reads MongoDB, which holds the change when it runs.
    const incomplete = records();
    const b = uniqueName('T');
    expect(await incomplete.cached.recordChangesThen([change(b)], () => seenBy(incomplete.cached, b))).toBe(true);
  });

  it('reads MongoDB until the copy has made the Redis facts complete, then reads Redis alone', async () => {
    const seeded = Array.from({ length: 30 }, (_, i) => uniqueName(`S${i}`));
    // Kept in MongoDB before this deployment's Redis held anything (a new or emptied Redis).
    await mongo.recordProfiles(seeded.map((customerId, i) => ({ customerId, version: 2, status: 'ACTIVE', features: features(i) })));
    await mongo.recordChanges(seeded.map((customerId) => ({ customerId, field: 'membership', segmentId: 'seg.x', value: true, at: at(3) })));
    const { facts, copy, cached } = records();

    expect((await facts.get(seeded)).complete).toBe(false);
    const before = await cached.get(seeded);
    expect(seeded.map((id) => before.get(id)?.features?.aumMinor)).toEqual(seeded.map((_, i) => i));

    // The read asked for the copy; a worker takes it.
    copy.onApplicationBootstrap();
    await waitFor(() => facts.isComplete(), 60_000, 'the facts copied');
    const copied = await facts.get(seeded);
    expect(seeded.map((id) => [copied.records.get(id)?.features?.aumMinor, copied.records.get(id)?.memberships['seg.x']?.in])).toEqual(seeded.map((_, i) => [i, true]));

    // From now on Redis alone answers: news written to MongoDB alone is not seen.
    await mongo.recordProfiles([{ customerId: seeded[0], version: 3, status: 'ACTIVE', features: features(99) }]);
    expect((await cached.get([seeded[0]])).get(seeded[0])?.features?.aumMinor).toBe(0);
  });

  it('a copy over news written since changes nothing newer', async () => {
    const customerId = uniqueName('N');
    // The copy reads MongoDB's document before the news lands there, Redis has it already.
    await mongo.recordProfiles([{ customerId, version: 1, status: 'ACTIVE', features: features(1) }]);
    await mongo.recordChanges([{ customerId, field: 'tier', value: 'MASS', at: at(1) }]);
    const { facts, copy, cached } = records();
    await facts.record([{ customerId, version: 5, status: 'ACTIVE', features: features(5) }], [{ customerId, field: 'tier', value: 'GOLD', at: at(9) }]);
    copy.onApplicationBootstrap();
    await waitFor(() => facts.isComplete(), 60_000, 'the facts copied');
    const kept = (await cached.get([customerId])).get(customerId);
    expect([kept?.version, kept?.features?.aumMinor, kept?.derived.tier?.value]).toEqual([5, 5, 'GOLD']);
  });
});

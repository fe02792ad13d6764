import { randomUUID } from 'node:crypto';
import { FixedClock, loadConfig } from '@meridian/shared';
import { dropTestMongo, serviceTestEnv, testMongo, testServers } from '@meridian/shared/testing';
import Redis from 'ioredis';
import { Connection } from 'mongoose';
import { IngestConfig } from '../../config/ingest.config';
import { DedupStore } from './dedup.store';

/**
 * The waits of the de-duplication guard run on the injected Clock (ARCHITECTURE.md
 * principle 6), like its leases: a test moves time instead of sleeping through it.
 */
describe('DedupStore waits on the injected clock (real MongoDB-wire server and Redis)', () => {
  const leaseSeconds = 30;
  let mongo: Connection;
  let redis: Redis;
  let clock: FixedClock;
  let store: DedupStore;

  beforeAll(async () => {
    mongo = await testMongo('dedup_store');
    redis = new Redis(testServers().redisUrl);
  });

  beforeEach(() => {
    const config = loadConfig(IngestConfig, {
      ...serviceTestEnv('ingest'),
      MONGODB_DATABASE: mongo.name,
      INGEST_RUN_LEASE_SECONDS: String(leaseSeconds),
    });
    clock = new FixedClock(new Date('2026-11-25T03:30:00Z'));
    store = new DedupStore(redis, mongo, config, clock);
  });

  afterAll(async () => {
    redis.disconnect();
    await dropTestMongo(mongo);
  });

  // Time-boxed far below the 2 × lease of wall time a Date.now() deadline would wait out.
  it('gives up on an eventId still held by a run of this process once the clock passes twice the lease', async () => {
    const id = `held-${randomUUID()}`;
    const holder = await store.begin([id], clock.now());
    const waiter = store.begin([id], clock.now(), async () => clock.advance(leaseSeconds * 1_000));

    await expect(waiter).rejects.toThrow(/still held by a run at work/);
    expect(clock.now().getTime() - new Date('2026-11-25T03:30:00Z').getTime()).toBeGreaterThan(2 * leaseSeconds * 1_000);
    await store.abandon(holder);
  }, 15_000);

  it('stamps its claims again at the clock’s time after waiting more than a third of the lease', async () => {
    const [shared, own] = [`shared-${randomUUID()}`, `own-${randomUUID()}`];
    const startedAt = clock.now();
    const holder = await store.begin([shared], startedAt);
    const waiter = await store.begin([shared, own], startedAt, async () => {
      clock.advance(15_000);
      await store.finish(holder, new Map([[shared, 'C1']]), clock.now());
    });

    expect([...waiter.done.keys()]).toEqual([shared]);
    const claim = await mongo.collection('ingest_events').findOne({ _id: own as never });
    expect(claim?.at).toEqual(clock.now());
    await store.finish(waiter, new Map([[own, 'C2']]), clock.now());
  }, 15_000);
});

import { FixedClock, loadConfig } from '@meridian/shared';
import { dropTestMongo, serviceTestEnv, testMongo, testServers } from '@meridian/shared/testing';
import Redis from 'ioredis';
import { Connection } from 'mongoose';
import { IngestConfig } from '../../config/ingest.config';
import { DedupStore } from '../infrastructure/dedup.store';
import { DedupRetention } from './dedup-retention';

/** The durable guard's retention on a real MongoDB-wire server (FerretDB has no TTL indexes). */
describe('DedupRetention (real MongoDB-wire server and Redis)', () => {
  let mongo: Connection;
  let redis: Redis;

  beforeAll(async () => {
    mongo = await testMongo('dedup_retention');
    redis = new Redis(testServers().redisUrl);
  });

  afterAll(async () => {
    redis.disconnect();
    await dropTestMongo(mongo);
  });

  it('forgets eventIds, business keys and runs older than the retention, keeps the rest; a forgotten claim is taken on again', async () => {
    const config = loadConfig(IngestConfig, { ...serviceTestEnv('ingest'), MONGODB_DATABASE: mongo.name, INGEST_DEDUP_RETENTION_DAYS: '30' });
    const clock = new FixedClock(new Date('2026-11-25T03:30:00Z'));
    const store = new DedupStore(redis, mongo, config, clock);
    const day = 86_400_000;
    const at = (daysAgo: number) => new Date(clock.now().getTime() - daysAgo * day);
    await mongo.collection('ingest_events').insertMany([
      { _id: 'old-1', runId: 'run-old', at: at(31) },
      { _id: 'old-2', runId: 'run-old', at: at(45) },
      { _id: 'TransactionPosted ["core","T-old"]', runId: 'run-old', at: at(31), fingerprint: 'f-old' },
      { _id: 'TransactionPosted ["core","T-recent"]', runId: 'run-recent', at: at(29), fingerprint: 'f-recent' },
      { _id: 'recent', runId: 'run-recent', at: at(29) },
    ] as any[]);
    await mongo.collection('ingest_runs').insertMany([
      { _id: 'run-old', at: at(31), events: 2 },
      { _id: 'run-recent', at: at(29), events: 1 },
    ] as any[]);

    expect(await new DedupRetention(store, config, clock).sweep()).toEqual({ events: 3, runs: 1 });
    expect((await mongo.collection('ingest_events').find({}).toArray()).map((d) => d._id).sort()).toEqual(['TransactionPosted ["core","T-recent"]', 'recent']);
    expect((await mongo.collection('ingest_runs').find({}).toArray()).map((d) => d._id)).toEqual(['run-recent']);

    const [oldKey, recentKey] = ['TransactionPosted ["core","T-old"]', 'TransactionPosted ["core","T-recent"]'];
    const run = await store.begin([{ id: 'old-1' }, { id: 'recent' }, { id: oldKey, fingerprint: 'f-new' }, { id: recentKey, fingerprint: 'f-new' }], clock.now());
    // Still known, with the fingerprint it was taken on with; the forgotten ones are this run's.
    expect(Object.fromEntries(run.done)).toEqual({ recent: {}, [recentKey]: { fingerprint: 'f-recent' } });
    expect([...run.held].sort()).toEqual([oldKey, 'old-1']);
    await store.finish(run, new Map([['old-1', { customerId: 'C1' }], [oldKey, { customerId: 'C1', fingerprint: 'f-new' }]]), clock.now());
  });
});

import { Connection } from 'mongoose';
import { FixedClock } from '../clock/clock';
import { dropTestMongo, testMongo, testServers, uniqueName, waitFor } from '../testing';
import { appliedEventsRetention } from './applied-events-retention';
import { MongoIdempotencyGuard } from './idempotency-guards';

const DAY = 86_400_000;

/** Issue 8, point 5: `applied_events` no longer grows without limit (real MongoDB-wire server and Redis). */
describe('the durable idempotency guard keeps its retention (BullMQ job scheduler)', () => {
  let mongo: Connection;

  beforeAll(async () => {
    mongo = await testMongo('applied_retention');
  });

  afterAll(async () => {
    await dropTestMongo(mongo);
  });

  const names = async () => (await mongo.db!.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => n.startsWith('applied_events')).sort();

  it('remembers an eventId for the retention, then a scheduled sweep drops its whole generation', async () => {
    const clock = new FixedClock(new Date('2026-03-01T10:00:00Z'));
    const guard = new MongoIdempotencyGuard(mongo, { retentionDays: 1, clock });
    await guard.markApplied('group:old');
    expect(await guard.isApplied('group:old')).toBe(true);

    clock.advance(DAY); // the next generation: the old key is still remembered
    await guard.markApplied('group:new');
    expect(await guard.isApplied('group:old')).toBe(true);
    expect(await names()).toHaveLength(2);

    clock.advance(DAY); // two generations on: the old key's generation is past retention
    const job = appliedEventsRetention(guard, { service: 'test', everyMs: 300, redisUrl: testServers().redisUrl, prefix: `${uniqueName('retention')}:` });
    await job.start();
    try {
      await waitFor(async () => (await names()).length === 1, 30_000, 'the expired generation dropped by the scheduled sweep');
    } finally {
      await job.stop();
    }
    expect(await guard.isApplied('group:old')).toBe(false);
    expect(await guard.isApplied('group:new')).toBe(true);
    expect(await names()).toEqual([`applied_events_1d_${Math.floor(new Date('2026-03-02T10:00:00Z').getTime() / DAY)}`]);
  });

  it('a sweep leaves collections that are not its generations alone', async () => {
    await mongo.db!.collection('applied_events_archive').insertOne({ _id: 'x' } as never);
    const guard = new MongoIdempotencyGuard(mongo, { retentionDays: 1, clock: new FixedClock(new Date('2030-01-01T00:00:00Z')) });
    await guard.prune();
    expect(await names()).toContain('applied_events_archive');
  });
});

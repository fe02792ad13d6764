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
  let config: IngestConfig;

  beforeAll(async () => {
    mongo = await testMongo('dedup_store');
    redis = new Redis(testServers().redisUrl);
  });

  beforeEach(() => {
    config = loadConfig(IngestConfig, {
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
    const holder = await store.begin([{ id }], clock.now());
    const waiter = store.begin([{ id }], clock.now(), async () => clock.advance(leaseSeconds * 1_000));

    await expect(waiter).rejects.toThrow(/still held by a run at work/);
    expect(clock.now().getTime() - new Date('2026-11-25T03:30:00Z').getTime()).toBeGreaterThan(2 * leaseSeconds * 1_000);
    await store.abandon(holder);
  }, 15_000);

  it('stamps its claims again at the clock’s time after waiting more than a third of the lease', async () => {
    const [shared, own] = [`shared-${randomUUID()}`, `own-${randomUUID()}`];
    const startedAt = clock.now();
    const holder = await store.begin([{ id: shared }], startedAt);
    const waiter = await store.begin([{ id: shared }, { id: own }], startedAt, async () => {
      clock.advance(15_000);
      await store.finish(holder, new Map([[shared, { customerId: 'C1' }]]), clock.now());
    });

    expect([...waiter.done.keys()]).toEqual([shared]);
    const claim = await mongo.collection('ingest_events').findOne({ _id: own as never });
    expect(claim?.at).toEqual(clock.now());
    await store.finish(waiter, new Map([[own, { customerId: 'C2' }]]), clock.now());
  }, 15_000);
  describe('business keys ride the same claims (issue 9, point 6)', () => {
    const businessKey = () => `TransactionPosted ${JSON.stringify(['core', randomUUID()])}`;

    it('a key held by a run that crashed is taken over after the lease, with this run’s content; done, it answers its fingerprint', async () => {
      const [eventId, key] = [`evt-${randomUUID()}`, businessKey()];
      await store.begin([{ id: eventId }, { id: key, fingerprint: 'f1' }], clock.now()); // then the process dies
      const restarted = new DedupStore(redis, mongo, config, clock);
      clock.advance((leaseSeconds + 1) * 1_000);
      const retry = await restarted.begin([{ id: eventId }, { id: key, fingerprint: 'f1' }], clock.now());
      expect({ retried: [...retry.retried].sort(), done: retry.done.size }).toEqual({ retried: [eventId, key].sort(), done: 0 });
      await restarted.finish(retry, new Map([[eventId, { customerId: 'C1' }], [key, { customerId: 'C1', fingerprint: 'f1' }]]), clock.now());

      // A re-export under a new eventId: from the window, then (the window forgotten) from the durable claim.
      const again = await restarted.begin([{ id: `evt-${randomUUID()}` }, { id: key, fingerprint: 'f2' }], clock.now());
      expect(again.done.get(key)).toEqual({ customerId: 'C1', fingerprint: 'f1' });
      await redis.del(`${config.redisPrefix}done:${key}`);
      const later = await restarted.begin([{ id: `evt-${randomUUID()}` }, { id: key, fingerprint: 'f2' }], clock.now());
      expect(later.done.get(key)).toEqual({ fingerprint: 'f1' });
      expect(later.held.has(key)).toBe(false);
      await Promise.all([restarted.finish(again, new Map(), clock.now()), restarted.finish(later, new Map(), clock.now())]);
    }, 15_000);

    it('a key given up by a failed run is taken over at once; a released eventId is claimable again', async () => {
      const [first, second, key] = [`evt-${randomUUID()}`, `evt-${randomUUID()}`, businessKey()];
      const failed = await store.begin([{ id: first }, { id: key, fingerprint: 'f1' }], clock.now());
      await store.abandon(failed);
      const retry = await store.begin([{ id: second }, { id: key, fingerprint: 'f2' }], clock.now());
      expect(retry.retried).toEqual([key]);
      expect(await mongo.collection('ingest_events').findOne({ _id: key as never })).toMatchObject({ runId: retry.runId, fingerprint: 'f2' });
      await store.release(retry, [second]);
      expect(await mongo.collection('ingest_events').findOne({ _id: second as never })).toBeNull();
      await store.finish(retry, new Map([[key, { customerId: 'C2', fingerprint: 'f2' }]]), clock.now());
      const resent = await store.begin([{ id: second }], clock.now());
      expect(resent.held.has(second)).toBe(true);
      await store.finish(resent, new Map(), clock.now());
    }, 15_000);
  });

  it('never lets two instances holding each other\'s claims wait each other out: the younger gives way, each claim is held once', async () => {
    const ids = Array.from({ length: 100 }, (_, i) => `TransactionPosted ["core","re-export-${randomUUID()}-${i}"]`);
    const other = new DedupStore(redis, mongo, config, clock); // a second process: its own in-process bookkeeping
    const start = clock.now().getTime();
    const tick = async () => clock.advance(500);
    const runs = [
      store.begin(ids.map((id) => ({ id, fingerprint: 'f1' })), clock.now(), tick).then((run) => ({ run, by: store })),
      other.begin([...ids].reverse().map((id) => ({ id, fingerprint: 'f1' })), clock.now(), tick).then((run) => ({ run, by: other })),
    ];
    const { run: first, by: firstStore } = await Promise.race(runs);
    // Before the lease ran out: nobody waited for a crash that did not happen.
    expect(clock.now().getTime() - start).toBeLessThan(leaseSeconds * 1_000);
    expect(first.held.size).toBe(ids.length);
    await firstStore.finish(first, new Map(ids.map((id) => [id, { fingerprint: 'f1' }])), clock.now());
    const [{ run: a }, { run: b }] = await Promise.all(runs);
    const second = a === first ? b : a;
    expect(second.held.size).toBe(0);
    expect([...second.done.keys()].sort()).toEqual([...ids].sort());
  }, 60_000);

  it('keeps what it holds stamped while it waits, so no other instance takes it for crashed however long the wait', async () => {
    const [own, busy] = [`own-${randomUUID()}`, `busy-${randomUUID()}`];
    const younger = `zzzzzzzzz-${randomUUID()}`; // another instance's run, younger than any: this run waits for it, never gives way
    await mongo.collection('ingest_events').insertOne({ _id: busy, runId: younger, at: clock.now() } as any);
    const ages: number[] = [];
    let beats = 0;
    const run = await store.begin([{ id: own }, { id: busy }], clock.now(), async () => {
      const claim = await mongo.collection('ingest_events').findOne({ _id: own as never });
      ages.push(clock.now().getTime() - new Date(claim!.at).getTime());
      clock.advance((leaseSeconds / 2) * 1_000);
      await mongo.collection('ingest_events').updateOne({ _id: busy as never }, { $set: { at: clock.now() } }); // the other is alive
      if (++beats === 4) await mongo.collection('ingest_runs').insertOne({ _id: younger, at: clock.now(), events: 1 } as any);
    });

    expect({ held: [...run.held], done: [...run.done.keys()] }).toEqual({ held: [own], done: [busy] });
    // Two leases went by; at every beat its own claim was younger than a lease.
    expect(ages.length).toBe(4);
    expect(Math.max(...ages)).toBeLessThan(leaseSeconds * 1_000);
    await store.finish(run, new Map([[own, {}]]), clock.now());
  }, 15_000);

  it('gives way to an older run of another process it meets at work: its claims are up for takeover at once, then it waits', async () => {
    const ids = Array.from({ length: 10 }, (_, i) => `TransactionPosted ["core","wait-die-${randomUUID()}-${i}"]`);
    // An older run of another instance holds the first half and is at work.
    const older = `000000000-${randomUUID()}`;
    await mongo.collection('ingest_events').insertMany(ids.slice(0, 5).map((_id) => ({ _id, runId: older, at: clock.now() })) as any[]);
    const abandoned = () => mongo.collection('ingest_runs').countDocuments({ abandoned: true } as any);
    const before = await abandoned();
    let waits = 0;
    const younger = store.begin(
      ids.map((id) => ({ id })),
      clock.now(),
      async () => void waits++,
    );
    await new Promise<void>((resolve) => {
      const check = setInterval(() => waits >= 3 && (clearInterval(check), resolve()), 20);
    });
    // It gave its own claims up (marked abandoned), so the older run could take them over without waiting for the lease.
    expect(await abandoned()).toBeGreaterThan(before);
    await mongo.collection('ingest_runs').insertOne({ _id: older, at: clock.now(), events: 5 } as any);
    const run = await younger;
    expect([...run.done.keys()].sort()).toEqual(ids.slice(0, 5).sort());
    expect([...run.held].sort()).toEqual(ids.slice(5).sort());
    // Each time it started again under its first attempt's age (wait-die): never younger than it began.
    const gaveUp = await mongo.collection('ingest_runs').find({ abandoned: true } as any).toArray();
    const firstAttempt = run.runId.split('.')[0];
    expect(gaveUp.filter((r) => String(r._id).startsWith(firstAttempt)).length).toBeGreaterThan(0);
  }, 60_000);
});

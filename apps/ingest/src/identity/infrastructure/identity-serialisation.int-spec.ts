import { loadConfig } from '@meridian/shared';
import { dropTestMongo, serviceTestEnv, testMongo, testServers } from '@meridian/shared/testing';
import Redis from 'ioredis';
import { Connection } from 'mongoose';
import { IngestConfig } from '../../config/ingest.config';
import { IdentityRepository } from './identity.repository';

/**
 * The arbiters of serialised resolution on the real servers (ADR 0006): a run's mark is
 * set once, a merge lease is held by one run at a time, and the owner cache ends at what
 * the durable map holds, whatever the order in which racing writers reach Redis.
 */
describe('identity serialisation (real MongoDB-wire server and Redis)', () => {
  let mongo: Connection;
  let redis: Redis;
  let repository: IdentityRepository;

  beforeAll(async () => {
    mongo = await testMongo('identity_serialisation');
    redis = new Redis(testServers().redisUrl);
    repository = new IdentityRepository(mongo, redis, loadConfig(IngestConfig, { ...serviceTestEnv('ingest'), MONGODB_DATABASE: mongo.name }));
  });

  afterAll(async () => {
    redis.disconnect();
    await dropTestMongo(mongo);
  });

  it('marks a run once: settled or abandoned, whichever comes first, stands', async () => {
    expect(await repository.claimRunStatuses(['r1', 'r2'])).toEqual(new Map());
    const marks = await Promise.all([repository.markClaimRun('r1', 'SETTLED'), repository.markClaimRun('r1', 'ABANDONED')]);
    expect(marks[0]).toBe(marks[1]);
    expect(await repository.markClaimRun('r1', marks[0] === 'SETTLED' ? 'ABANDONED' : 'SETTLED')).toBe(marks[0]);
    expect(await repository.claimRunStatuses(['r1', 'r2'])).toEqual(new Map([['r1', marks[0]]]));
  });

  it('records the claiming run on each key, and gives back only that run’s claims', async () => {
    const at = new Date();
    expect(await repository.claim([{ key: 'SOURCE_REF:w1', customerId: 'C1', eventId: 'e1' }, { key: 'SOURCE_REF:w2', customerId: 'C1', eventId: 'e1' }], at, 'run-a')).toEqual([]);
    expect(await repository.claim([{ key: 'SOURCE_REF:w2', customerId: 'C2', eventId: 'e2' }], at, 'run-b')).toEqual(['SOURCE_REF:w2']);
    await repository.withdrawClaims(['SOURCE_REF:w1'], 'run-b');
    expect(await repository.claimsOf(['SOURCE_REF:w1', 'SOURCE_REF:w2'])).toEqual(
      new Map([
        ['SOURCE_REF:w1', { customerId: 'C1', claimRun: 'run-a' }],
        ['SOURCE_REF:w2', { customerId: 'C1', claimRun: 'run-a' }],
      ]),
    );
    await repository.withdrawClaims(['SOURCE_REF:w1'], 'run-a');
    expect([...(await repository.claimsOf(['SOURCE_REF:w1', 'SOURCE_REF:w2'])).keys()]).toEqual(['SOURCE_REF:w2']);
  });

  it('lets one run at a time hold a customer’s merge lease, and takes over one whose holder outlived it', async () => {
    const now = new Date('2026-12-01T10:00:00Z');
    const until = new Date(now.getTime() + 30_000);
    const wins = await Promise.all(Array.from({ length: 8 }, (_, i) => repository.tryMergeLease('CM', `run-${i}`, until, now)));
    expect(wins.filter(Boolean)).toHaveLength(1);
    const holder = `run-${wins.indexOf(true)}`;
    expect(await repository.tryMergeLease('CM', holder, until, now)).toBe(true);
    expect(await repository.tryMergeLease('CM', 'run-other', until, new Date(until.getTime() - 1))).toBe(false);
    // The holder crashed: after its lease another run takes the customer over.
    expect(await repository.tryMergeLease('CM', 'run-other', new Date(until.getTime() + 30_000), new Date(until.getTime() + 1))).toBe(true);
    await repository.releaseMergeLeases(['CM'], holder); // the old holder's release does not free the new lease
    expect(await repository.tryMergeLease('CM', holder, until, now)).toBe(false);
    await repository.releaseMergeLeases(['CM'], 'run-other');
    expect(await repository.tryMergeLease('CM', holder, until, now)).toBe(true);
  });

  it('never leaves an owner that lost in the cache: racing changes end at what MongoDB holds', async () => {
    const key = 'PHONE:raced';
    await repository.claim([{ key, customerId: 'C0', eventId: 'e0' }], new Date(), 'run-0');
    // A run that learned the first owner caches it late, after the key has moved on: it must not win.
    await repository.apply({ kind: 'relink', key, from: 'C0', to: 'C1', eventId: 'e1' }, new Date());
    await repository.refreshCachedOwners([key]);
    await repository.cacheOwners(new Map([[key, 'C0']]));
    expect(await repository.cachedOwners([key])).toEqual(new Map([[key, 'C1']]));

    // Twenty writers move the key at once, each refreshing the cache after its own write.
    for (let round = 0; round < 5; round++) {
      await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          await repository.apply({ kind: 'relink', key, from: 'C?', to: `C${round}-${i}`, eventId: `e${round}-${i}` }, new Date());
          await repository.refreshCachedOwners([key]);
        }),
      );
      const stored = (await repository.claimsOf([key])).get(key)?.customerId;
      expect(await repository.cachedOwners([key])).toEqual(new Map([[key, stored]]));
    }
  });
});

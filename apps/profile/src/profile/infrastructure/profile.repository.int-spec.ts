import { loadConfig } from '@meridian/shared';
import { dropTestMongo, serviceTestEnv, testMongo, testServers, uniqueName } from '@meridian/shared/testing';
import Redis from 'ioredis';
import { Connection } from 'mongoose';
import { ProfileConfig } from '../../config/profile.config';
import { ProfileDoc } from '../application/ports/profile-store.port';
import { ProfileRepository } from './profile.repository';

/** The profile cache against real Redis and a MongoDB-wire server: no stale fill outlives a write. */
describe('ProfileRepository cache (real MongoDB-wire server and Redis)', () => {
  let mongo: Connection;
  let redis: Redis;
  let repository: ProfileRepository;

  beforeAll(async () => {
    mongo = await testMongo('profile_cache');
    redis = new Redis(testServers().redisUrl);
    repository = new ProfileRepository(mongo, redis, loadConfig(ProfileConfig, { ...serviceTestEnv('profile'), MONGODB_DATABASE: mongo.name }));
  });

  afterAll(async () => {
    redis.disconnect();
    await dropTestMongo(mongo);
  });

  it('a read that raced a write cannot leave the older version cached', async () => {
    const id = uniqueName('C').toUpperCase();
    const v1: ProfileDoc = { _id: id, status: 'ACTIVE', version: 1, offsets: {}, sealed: 'sealed-v1' };
    expect(await repository.save(v1, undefined)).toBe(true);
    const readBeforeTheWrite = (await repository.load([id])).get(id)!;
    const v2: ProfileDoc = { ...v1, version: 2, sealed: 'sealed-v2' };
    expect(await repository.save(v2, 1)).toBe(true);
    // The slow reader fills the cache with what it read, after the write: refused.
    await (repository as unknown as { cacheDoc(doc: ProfileDoc): Promise<number> }).cacheDoc(readBeforeTheWrite);
    expect((await repository.load([id])).get(id)).toMatchObject({ version: 2, sealed: 'sealed-v2' });

    // A lost race drops nothing: the winner's version stays cached.
    expect(await repository.save({ ...v1, version: 2, sealed: 'loser' }, 1)).toBe(false);
    expect((await repository.load([id])).get(id)).toMatchObject({ version: 2, sealed: 'sealed-v2' });
  });

  it('an erasure settled is cached as such: the live profile read before it does not come back', async () => {
    const id = uniqueName('C').toUpperCase();
    const live: ProfileDoc = { _id: id, status: 'ACTIVE', version: 4, offsets: {}, sealed: 'sealed' };
    await repository.save(live, undefined);
    const tombstone: ProfileDoc = { _id: id, status: 'ERASED', version: 5, offsets: {}, erasedAt: '2026-03-30T02:00:00.000Z', erasedBy: 'admin', pendingAnnouncements: [] };
    expect(await repository.save(tombstone, 4)).toBe(true);
    await repository.settleErasure(tombstone);
    await (repository as unknown as { cacheDoc(doc: ProfileDoc): Promise<number> }).cacheDoc(live);
    const cached = (await repository.load([id])).get(id)!;
    expect(cached).toMatchObject({ status: 'ERASED', version: 6 });
    expect(cached.pendingAnnouncements).toBeUndefined();
    expect(cached.sealed).toBeUndefined();
  });

  it('a tombstone replaces a cached live profile of a higher version, and no live profile replaces a cached tombstone (erasure is final)', async () => {
    const id = uniqueName('C').toUpperCase();
    await repository.save({ _id: id, status: 'ACTIVE', version: 1, offsets: {}, sealed: 'sealed-v1' }, undefined);
    // A fold on FerretDB wrote over the tombstone at a higher version than the tombstone that follows it (ADR 0007).
    const overwritten: ProfileDoc = { _id: id, status: 'ACTIVE', version: 7, offsets: {}, sealed: 'sealed-v7' };
    expect(await repository.save(overwritten, 1)).toBe(true);
    const tombstone: ProfileDoc = { _id: id, status: 'ERASED', version: 3, offsets: {}, erasedAt: '2026-03-30T02:00:00.000Z', erasedBy: 'admin' };
    await repository.putTombstone(tombstone);
    expect(await repository.loadFresh(id)).toMatchObject({ status: 'ERASED', version: 3 });
    expect((await repository.load([id])).get(id)).toMatchObject({ status: 'ERASED', version: 3 });
    await (repository as unknown as { cacheDoc(doc: ProfileDoc): Promise<number> }).cacheDoc(overwritten);
    expect((await repository.load([id])).get(id)).toMatchObject({ status: 'ERASED', version: 3 });
    // Among tombstones the newer version stays.
    await repository.putTombstone({ ...tombstone, version: 9 });
    await (repository as unknown as { cacheDoc(doc: ProfileDoc): Promise<number> }).cacheDoc(tombstone);
    expect((await repository.load([id])).get(id)).toMatchObject({ status: 'ERASED', version: 9 });
  });
});

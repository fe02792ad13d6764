import { loadConfig } from '@meridian/shared';
import { dropTestMongo, serviceTestEnv, testMongo, testServers, uniqueName } from '@meridian/shared/testing';
import Redis from 'ioredis';
import { Connection } from 'mongoose';
import { SegmentationConfig } from '../../config/segmentation.config';
import { SegmentStateDoc } from '../application/ports/segment-state-store.port';
import { SegmentStateRepository } from './segment-state.repository';

/**
 * One writer per customer and rev across processes (ADR 0009), on the real MongoDB-wire
 * server and Redis: FerretDB v1's `rev` filter alone lets two writers that read the same rev
 * both replace; the claim in Redis lets exactly one through.
 */
describe('SegmentStateRepository.saveAll (real MongoDB-wire server and Redis)', () => {
  let mongo: Connection;
  let redis: Redis;
  let config: SegmentationConfig;
  const repo = () => new SegmentStateRepository(mongo, redis, config);

  const doc = (customerId: string, rev: number, tier: 'GOLD' | 'SILVER', writeId: string): SegmentStateDoc =>
    ({ _id: customerId, rev, writeId, outbox: [], effects: [], status: 'MERGED', profileVersion: rev, asOf: `2026-12-01T00:00:0${rev}Z`, memberships: [], note: tier }) as unknown as SegmentStateDoc;

  beforeAll(async () => {
    mongo = await testMongo('segment_state_repository');
    redis = new Redis(testServers().redisUrl);
    config = loadConfig(SegmentationConfig, { ...serviceTestEnv('segmentation'), MONGODB_DATABASE: mongo.name });
  });

  afterAll(async () => {
    redis.disconnect();
    await dropTestMongo(mongo);
  });

  it('lets exactly one of two processes write a rev both decided from the same one; the store holds the winner’s', async () => {
    for (let round = 0; round < 10; round++) {
      const id = uniqueName('C');
      const [a, b] = [repo(), repo()]; // two processes: their own caches and connections' views
      expect((await a.saveAll([{ doc: doc(id, 1, 'GOLD', 'w0'), previousRev: undefined }])).size).toBe(0);
      const results = await Promise.all([a.saveAll([{ doc: doc(id, 2, 'GOLD', 'wa'), previousRev: 1 }]), b.saveAll([{ doc: doc(id, 2, 'SILVER', 'wb'), previousRev: 1 }])]);
      const won = results.map((failed) => !failed.has(id));
      expect(won.filter(Boolean).length).toBe(1);
      expect((await a.loadFresh(id))?.writeId).toBe(won[0] ? 'wa' : 'wb');
    }
  }, 60_000);

  it('lets the same decision made again take its claim over (a redelivery after a crash mid-write), never another', async () => {
    const id = uniqueName('C');
    const r = repo();
    await r.saveAll([{ doc: doc(id, 1, 'GOLD', 'w0'), previousRev: undefined }]);
    // A process claimed rev 2 for this decision and died before writing it.
    const decided = doc(id, 2, 'GOLD', 'first-try');
    await redis.set(`${config.redisPrefix}seg:claim:${id}:2`, 'someone-else', 'PX', 10_000);
    expect((await r.saveAll([{ doc: decided, previousRev: 1 }])).has(id)).toBe(true);
    await redis.del(`${config.redisPrefix}seg:claim:${id}:2`);
    const { createHash } = await import('node:crypto');
    const { writeId: _, ...same } = decided;
    await redis.set(`${config.redisPrefix}seg:claim:${id}:2`, createHash('sha256').update(JSON.stringify(same)).digest('base64url'), 'PX', 10_000);
    expect((await r.saveAll([{ doc: { ...decided, writeId: 'second-try' }, previousRev: 1 }])).size).toBe(0);
    expect((await r.loadFresh(id))?.writeId).toBe('second-try');
    // Released once written.
    expect(await redis.exists(`${config.redisPrefix}seg:claim:${id}:2`)).toBe(0);
  }, 30_000);
});

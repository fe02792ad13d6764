import { FixedClock, loadConfig } from '@meridian/shared';
import { dropTestMongo, serviceTestEnv, testMongo, testServers } from '@meridian/shared/testing';
import Redis from 'ioredis';
import { Connection } from 'mongoose';
import { IngestConfig } from '../../config/ingest.config';
import { IdentityResolver } from '../application/identity-resolver';
import { keptApartPairId } from '../domain/kept-apart';
import { IdentityRepository } from './identity.repository';

/**
 * The kept-apart record on the real MongoDB-wire server and Redis (ADR 0006: sticky unmerge):
 * set by the unmerge change, idempotent when made again, lifted on the record, set again by a
 * later undo; and the resolver's decision for a kept-apart record repeats itself exactly.
 */
describe('kept-apart pairs (real MongoDB-wire server and Redis)', () => {
  let mongo: Connection;
  let redis: Redis;
  let repository: IdentityRepository;
  const at = new Date('2026-12-01T10:00:00Z');
  const evidence = [
    { kind: 'ID_NUMBER' as const, keyHash: 'x', eventId: 'e1' },
    { kind: 'SOURCE_REF' as const, keyHash: 'k7', eventId: 'e1' },
  ];
  const pair = keptApartPairId('CB', 'CA');

  let config: IngestConfig;

  beforeAll(async () => {
    mongo = await testMongo('identity_kept_apart');
    redis = new Redis(testServers().redisUrl);
    config = loadConfig(IngestConfig, { ...serviceTestEnv('ingest'), MONGODB_DATABASE: mongo.name });
    repository = new IdentityRepository(mongo, redis, config);
    await repository.claim(
      [
        { key: 'ID_NUMBER:x', customerId: 'CA', eventId: 'e0' },
        { key: 'SOURCE_REF:cb1', customerId: 'CA', eventId: 'e0' },
        { key: 'SOURCE_REF:k7', customerId: 'CB', eventId: 'e0' },
      ],
      at,
      'run-seed',
    );
  });

  afterAll(async () => {
    redis.disconnect();
    await dropTestMongo(mongo);
  });

  it('is set by the unmerge change, once however often the change is made, and survives a replay after it was lifted', async () => {
    await repository.apply({ kind: 'merge', mergeId: 'M1', survivorId: 'CA', mergedId: 'CB', evidence, eventId: 'e1' }, at);
    expect(await repository.keptApart([pair])).toEqual(new Set());
    await repository.apply({ kind: 'unmerge', mergeId: 'M1', undoneBy: 'admin-1', reason: 'different people' }, at);
    await repository.apply({ kind: 'unmerge', mergeId: 'M1', undoneBy: 'admin-1', reason: 'different people' }, at, true);
    expect(await repository.separation(pair)).toEqual({ _id: 'CA|CB', customerIds: ['CA', 'CB'], status: 'ACTIVE', mergeId: 'M1', keptBy: 'admin-1', keptAt: at, reason: 'different people' });
    expect(await repository.keptApart([pair, keptApartPairId('CA', 'CZ')])).toEqual(new Set([pair]));

    const liftedAt = new Date('2026-12-01T11:00:00Z');
    expect(await repository.liftSeparation(pair, { liftedBy: 'admin-2', liftedAt, liftReason: 'one person after all' })).toMatchObject({ status: 'LIFTED', liftedBy: 'admin-2', liftedAt, liftReason: 'one person after all' });
    expect(await repository.liftSeparation(pair, { liftedBy: 'admin-3', liftedAt, liftReason: 'again' })).toBeNull();
    // The relay replaying the old unmerge does not set the lifted separation again.
    await repository.apply({ kind: 'unmerge', mergeId: 'M1', undoneBy: 'admin-1' }, at, true);
    expect(await repository.separation(pair)).toMatchObject({ status: 'LIFTED', liftedBy: 'admin-2' });
    expect(await repository.keptApart([pair])).toEqual(new Set());
  });

  it('is set again by a later undo of another merge of the pair, keeping the lifted one in its history', async () => {
    const later = new Date('2026-12-02T10:00:00Z');
    await repository.apply({ kind: 'merge', mergeId: 'M2', survivorId: 'CA', mergedId: 'CB', evidence, eventId: 'e2' }, later);
    await repository.apply({ kind: 'unmerge', mergeId: 'M2', undoneBy: 'admin-4' }, later);
    const separation = await repository.separation(pair);
    expect(separation).toMatchObject({ status: 'ACTIVE', mergeId: 'M2', keptBy: 'admin-4', keptAt: later });
    expect(separation).not.toHaveProperty('liftedBy');
    expect(separation!.history).toEqual([expect.objectContaining({ mergeId: 'M1', status: 'LIFTED', liftedBy: 'admin-2', liftReason: 'one person after all' })]);
    expect(await repository.keptApart([pair])).toEqual(new Set([pair]));
  });

  it('resolves a kept-apart record the same way twice: same customer, same IdentityConflict id, the idNumber never cached for the other', async () => {
    const resolver = new IdentityResolver(repository, new FixedClock(at), config);
    const record = { eventId: 'e3', occurredAt: at.toISOString(), keys: { idNumber: 'ID_NUMBER:x', sourceRef: 'SOURCE_REF:k7' } };
    const first = await resolver.resolve([record], at);
    const retry = await resolver.resolve([record], at);
    for (const resolution of [first, retry]) {
      expect(resolution.plans.map((p) => p.customerId)).toEqual(['CB']);
      expect(resolution.events.map((e) => [e.envelope.type, e.envelope.customerId, (e.envelope.payload as { reason?: string }).reason])).toEqual([['IdentityConflict', 'CB', 'KEPT_APART']]);
    }
    expect(retry.events[0].envelope.eventId).toBe(first.events[0].envelope.eventId);
    expect(new Map([...(await repository.claimsOf(['ID_NUMBER:x', 'SOURCE_REF:k7']))].map(([k, c]) => [k, c.customerId]))).toEqual(new Map([['ID_NUMBER:x', 'CA'], ['SOURCE_REF:k7', 'CB']]));
    expect((await repository.cachedOwners(['ID_NUMBER:x'])).get('ID_NUMBER:x')).not.toBe('CB');
    expect(await repository.customer('CB')).toMatchObject({ status: 'ACTIVE' });
  });
});

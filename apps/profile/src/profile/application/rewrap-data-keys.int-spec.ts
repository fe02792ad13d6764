import { FieldEncryption, FixedClock, checkMasterKeyRing, loadConfig, randomKeyBase64, readMasterKeyRing } from '@meridian/shared';
import { dropTestMongo, serviceTestEnv, testMongo } from '@meridian/shared/testing';
import { Connection } from 'mongoose';
import { ProfileConfig } from '../../config/profile.config';
import { DataKeyRewrapStore } from '../infrastructure/data-key-rewrap.store';
import { DataKeyStore } from '../infrastructure/data-key.store';
import { RewrapRecordsRepository } from '../infrastructure/rewrap-records.repository';
import { RewrapCheckpoint } from '../domain/rewrap-progress';
import { RewrapDataKeysUseCase } from './rewrap-data-keys.use-case';

/** Issue 9, point 5: the re-wrap job's walk and checkpoint on a real MongoDB-wire server (ADR 0008). */
describe('RewrapDataKeysUseCase (real MongoDB-wire server)', () => {
  let mongo: Connection;
  const clock = new FixedClock(new Date('2026-12-01T09:00:00Z'));
  const [A, B] = [randomKeyBase64(), randomKeyBase64()];
  const [idA, idB] = [new FieldEncryption(A).keyCheck(), new FieldEncryption(B).keyCheck()];
  const customers = Array.from({ length: 23 }, (_, i) => `C${String(i).padStart(3, '0')}`);

  beforeAll(async () => {
    mongo = await testMongo('rewrap');
  });

  afterAll(async () => {
    await dropTestMongo(mongo);
  });

  const configWith = (over: Record<string, string> = {}) => loadConfig(ProfileConfig, { ...serviceTestEnv('profile'), MONGODB_DATABASE: mongo.name, PROFILE_REWRAP_BATCH_SIZE: '4', ...over });
  const useCaseUnder = (encryption: FieldEncryption) => new RewrapDataKeysUseCase(new DataKeyRewrapStore(mongo, encryption), new RewrapRecordsRepository(mongo), configWith(), clock);

  it('re-wraps every data key under the current key, resumes after a stop, and then the previous key is no longer needed', async () => {
    // Written under A (the first start records A); three keys from before key ids were recorded.
    expect(await checkMasterKeyRing(mongo, { current: idA, previous: [] }, clock.now())).toEqual([]);
    const underA = new DataKeyStore(mongo, new FieldEncryption(A), configWith({ PROFILE_DATA_KEY_CACHE_SIZE: '0' }));
    const original = await underA.keysFor(customers, clock.now());
    await mongo.collection('data_keys').updateMany({ _id: { $in: customers.slice(0, 3) } as never }, { $unset: { masterKeyId: '' } });

    // Rotate: B current, A listed. Everything is readable; a new data key is wrapped under B.
    const rotated = new FieldEncryption(B, [A]);
    expect(await checkMasterKeyRing(mongo, { current: idB, previous: [idA] }, clock.now())).toEqual([]);
    expect(await readMasterKeyRing(mongo)).toEqual({ check: idB, retiring: [idA], retired: [] });
    const duringRotation = new DataKeyStore(mongo, rotated, configWith({ PROFILE_DATA_KEY_CACHE_SIZE: '0' }));
    for (const id of customers) expect((await duringRotation.keyOf(id))!.equals(original.get(id)!)).toBe(true);
    await duringRotation.keysFor(['C999-NEW'], clock.now());
    expect((await mongo.collection('data_keys').findOne({ _id: 'C999-NEW' as never }))?.masterKeyId).toBe(idB);

    // A run waits two KEY_RECHECK_SECONDS after the rotation began (instances on the old key stop meanwhile): stopped while waiting, it has walked nothing.
    const waiting = await useCaseUnder(rotated).execute('run-1', { shouldStop: () => true, onProgress: () => undefined });
    expect(waiting).toMatchObject({ phase: 'census', after: '', census: {}, rewrapped: {} });
    clock.advance(2 * configWith().KEY_RECHECK_SECONDS * 1000);

    // A run stopped (shutdown) after its third re-wrap batch: its checkpoint says where.
    const seen: RewrapCheckpoint[] = [];
    let rewrapBatches = 0;
    const stopped = await useCaseUnder(rotated).execute('run-1', {
      shouldStop: () => rewrapBatches >= 3,
      onProgress: (cp) => {
        seen.push(cp);
        if (cp.phase === 'rewrap' && cp.after) rewrapBatches++;
      },
    });
    expect(stopped).toMatchObject({ phase: 'rewrap', after: customers[11], census: { [idA]: 23 }, rewrapped: { [idA]: 12 } });
    expect(await mongo.collection('key_rewraps').findOne({ _id: idB as never })).toMatchObject({ phase: 'rewrap', after: customers[11] });
    // Half done: A is still needed, a start without it is refused.
    expect((await checkMasterKeyRing(mongo, { current: idB, previous: [] }, clock.now())).map((p) => p.variable)).toEqual(['FIELD_ENCRYPTION_PREVIOUS_MASTER_KEYS']);
    const onlyB = new DataKeyStore(mongo, new FieldEncryption(B), configWith({ PROFILE_DATA_KEY_CACHE_SIZE: '0' }));
    expect((await onlyB.keyOf(customers[0]))!.equals(original.get(customers[0])!)).toBe(true);
    await expect(onlyB.keyOf(customers[20])).rejects.toThrow(/neither FIELD_ENCRYPTION_MASTER_KEY nor in FIELD_ENCRYPTION_PREVIOUS_MASTER_KEYS/);

    // A customer erased meanwhile: its key is gone, and the run does not count it.
    await duringRotation.destroy([customers[22]]);

    // The same run resumes from its checkpoint (no batch done twice: each data key counted once).
    const done = await useCaseUnder(rotated).execute('run-1', { shouldStop: () => false, onProgress: () => undefined });
    expect(done).toMatchObject({ phase: 'done', census: { [idA]: 23 }, rewrapped: { [idA]: 22 }, startedAt: stopped.startedAt });
    expect(done.finishedAt).toBeDefined();
    expect(await mongo.collection('data_keys').countDocuments({ masterKeyId: idB })).toBe(23); // 22 re-wrapped + the new one

    // A is retired: a start without it passes, and everything opens under B alone.
    expect(await readMasterKeyRing(mongo)).toEqual({ check: idB, retiring: [], retired: [idA] });
    expect(await checkMasterKeyRing(mongo, { current: idB, previous: [] }, clock.now())).toEqual([]);
    for (const id of customers.slice(0, 22)) expect((await onlyB.keyOf(id))!.equals(original.get(id)!)).toBe(true);
    expect(await onlyB.keyOf(customers[22])).toBeUndefined();

    // Another run starts the walk over and finds nothing left to re-wrap.
    const again = await useCaseUnder(new FieldEncryption(B)).execute('run-2', { shouldStop: () => false, onProgress: () => undefined });
    expect(again).toMatchObject({ phase: 'done', census: {}, rewrapped: {} });
  });
});

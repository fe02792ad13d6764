import { Connection } from 'mongoose';
import { dropTestMongo, testMongo } from '../testing';
import { BlindIndex, FieldEncryption, randomKeyBase64 } from './field-encryption';
import { mismatchedKeys } from './key-check';

/** Issue 9, point 4: keys that fail fast — the check values stored with the data (real MongoDB-wire server). */
describe('key checks', () => {
  let mongo: Connection;
  const at = new Date('2026-12-01T09:00:00Z');

  beforeAll(async () => {
    mongo = await testMongo('key_check');
  });

  afterAll(async () => {
    await dropTestMongo(mongo);
  });

  it('records the keys on the first start, accepts the same keys, names the one that changed', async () => {
    const master = randomKeyBase64();
    const blind = randomKeyBase64();
    const keys = (m: string, b: string) => [
      { variable: 'FIELD_ENCRYPTION_MASTER_KEY' as const, check: new FieldEncryption(m).keyCheck() },
      { variable: 'BLIND_INDEX_KEY' as const, check: new BlindIndex(b).keyCheck() },
    ];
    // Two instances starting at once on an empty database: both record or find the same values.
    expect(await Promise.all([mismatchedKeys(mongo, keys(master, blind), at), mismatchedKeys(mongo, keys(master, blind), at)])).toEqual([[], []]);
    expect(await mongo.collection('key_checks').countDocuments({})).toBe(2);
    expect(await mismatchedKeys(mongo, keys(master, blind), at)).toEqual([]);
    expect(await mismatchedKeys(mongo, keys(randomKeyBase64(), blind), at)).toEqual(['FIELD_ENCRYPTION_MASTER_KEY']);
    expect(await mismatchedKeys(mongo, keys(master, randomKeyBase64()), at)).toEqual(['BLIND_INDEX_KEY']);
    expect(await mismatchedKeys(mongo, keys(randomKeyBase64(), randomKeyBase64()), at)).toEqual(['FIELD_ENCRYPTION_MASTER_KEY', 'BLIND_INDEX_KEY']);
  });

  it('a check value is the same for the same key and says nothing of it', () => {
    const key = randomKeyBase64();
    expect(new FieldEncryption(key).keyCheck()).toBe(new FieldEncryption(key).keyCheck());
    expect(new FieldEncryption(key).keyCheck()).not.toBe(new BlindIndex(key).keyCheck()); // one label per variable
    expect(new FieldEncryption(key).keyCheck()).not.toContain(Buffer.from(key, 'base64').toString('hex').slice(0, 16));
  });
});

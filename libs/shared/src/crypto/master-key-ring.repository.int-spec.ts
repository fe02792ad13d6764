import { Connection } from 'mongoose';
import { dropTestMongo, testMongo } from '../testing';
import { FieldEncryption, randomKeyBase64 } from './field-encryption';
import { checkMasterKeyRing, readMasterKeyRing, retireMasterKeys } from './master-key-ring.repository';

/** Issue 9, point 5 (ADR 0008): the master key record as a ring, on the real MongoDB-wire server. */
describe('master key record', () => {
  let mongo: Connection;
  const at = new Date('2026-12-01T09:00:00Z');
  const [A, B] = [new FieldEncryption(randomKeyBase64()).keyCheck(), new FieldEncryption(randomKeyBase64()).keyCheck()];
  const variables = async (current: string, previous: string[]) => (await checkMasterKeyRing(mongo, { current, previous }, at)).map((p) => p.variable);

  beforeAll(async () => {
    mongo = await testMongo('master_key_ring');
  });

  afterAll(async () => {
    await dropTestMongo(mongo);
  });

  it('reads point 4’s record, begins a rotation once when instances start at once, retires the old key when told', async () => {
    // A record written by point 4 (no ring fields): A, nothing retiring.
    await mongo.collection('key_checks').insertOne({ _id: 'FIELD_ENCRYPTION_MASTER_KEY' as never, check: A, recordedAt: at });
    expect(await readMasterKeyRing(mongo)).toEqual({ check: A, retiring: [], retired: [] });

    // Three instances start with B and A listed, at once: they agree.
    expect(await Promise.all([variables(B, [A]), variables(B, [A]), variables(B, [A])])).toEqual([[], [], []]);
    expect(await readMasterKeyRing(mongo)).toEqual({ check: B, retiring: [A], retired: [] });
    expect(await variables(B, [])).toEqual(['FIELD_ENCRYPTION_PREVIOUS_MASTER_KEYS']);
    expect(await variables(A, [])).toEqual(['FIELD_ENCRYPTION_MASTER_KEY']);

    // A run under another key retires nothing; the run under B retires A.
    expect(await retireMasterKeys(mongo, A, at)).toEqual({ check: B, retiring: [A], retired: [] });
    expect(await retireMasterKeys(mongo, B, at)).toEqual({ check: B, retiring: [], retired: [A] });
    expect(await readMasterKeyRing(mongo)).toEqual({ check: B, retiring: [], retired: [A] });
    expect(await variables(B, [])).toEqual([]);
    expect(await variables(B, [A])).toEqual([]);
  });
});

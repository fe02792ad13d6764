import type { ProfileFeatures } from '@meridian/events';
import { dropTestMongo, testMongo } from '@meridian/shared/testing';
import type { Connection } from 'mongoose';
import { CustomerRecordRepository } from './customer-record.repository';

const features = (aumMinor: number): ProfileFeatures => ({ aumMinor, productsHeld: [], txnCount30d: 0, txnCount90d: 0, txnAmount30dMinor: 0, txnAmount90dMinor: 0, tags: [] });
const at = (min: number) => new Date(Date.UTC(2026, 11, 2, 2, min)).toISOString();

/** What campaign keeps of its customers, on the real MongoDB-wire server: guarded writes that never lose each other. */
describe('CustomerRecordRepository (MongoDB-wire server)', () => {
  let db: Connection;
  let repo: CustomerRecordRepository;

  beforeAll(async () => {
    db = await testMongo('campaign_customer_records');
    repo = new CustomerRecordRepository(db);
  });

  afterAll(() => dropTestMongo(db));

  it('keeps each customer’s newest version, an older one redelivered in the same batch as another’s newer one included', async () => {
    await repo.recordProfiles([{ customerId: 'A', version: 5, status: 'ACTIVE', features: features(5) }, { customerId: 'B', version: 1, status: 'ACTIVE', features: features(1) }]);
    // A's older version comes again beside B's newer one: FerretDB v1 stops an unordered bulk write at its first error, so A's must raise none.
    await repo.recordProfiles([{ customerId: 'A', version: 2, status: 'ACTIVE', features: features(2) }, { customerId: 'B', version: 3, status: 'ACTIVE', features: features(3) }]);
    const kept = await repo.get(['A', 'B']);
    expect([kept.get('A')?.version, kept.get('A')?.features?.aumMinor, kept.get('B')?.version, kept.get('B')?.features?.aumMinor]).toEqual([5, 5, 3, 3]);
  });

  it('never writes over an erasure', async () => {
    await repo.recordProfiles([{ customerId: 'E', version: 4, status: 'ERASED', features: features(0) }]);
    await repo.recordProfiles([{ customerId: 'E', version: 9, status: 'ACTIVE', features: features(9) }]);
    expect((await repo.get(['E'])).get('E')).toMatchObject({ version: 4, status: 'ERASED' });
  });

  it('keeps segmentation’s news field by field, the newest of each, beside the profile, whatever order they come in', async () => {
    await repo.recordChanges([
      { customerId: 'A', field: 'tier', value: 'GOLD', at: at(5) },
      { customerId: 'A', field: 'membership', segmentId: 'seg.a$b', value: true, at: at(5) },
    ]);
    await repo.recordChanges([
      { customerId: 'A', field: 'tier', value: 'SILVER', at: at(1) },
      { customerId: 'A', field: 'lifecycleStage', value: 'AT_RISK', at: at(2) },
      { customerId: 'A', field: 'membership', segmentId: 'seg.a$b', value: false, at: at(6) },
    ]);
    const a = (await repo.get(['A'])).get('A');
    expect([a?.derived.tier?.value, a?.derived.lifecycleStage?.value, a?.memberships['seg.a$b']?.in, a?.version]).toEqual(['GOLD', 'AT_RISK', false, 5]);
  });
});

import type { EventEnvelope, ProfileUpdated } from '@meridian/events';
import { testServers, uniqueName } from '@meridian/shared/testing';
import Redis from 'ioredis';
import mongoose, { Connection } from 'mongoose';
import { ServiceDeskConfig } from '../../config/service-desk.config';
import { CustomerProfileRepository } from '../infrastructure/customer-profile.repository';
import { RedisCustomerErasures } from '../infrastructure/redis-customer-erasures';
import { RedisCustomerInteractions } from '../infrastructure/redis-customer-interactions';
import { RedisCustomerMembers } from '../infrastructure/redis-customer-members';
import { CustomerHolders } from './customer-holders';
import { RecordErasuresUseCase } from './record-erasures.use-case';
import { RecordProfilesUseCase } from './record-profiles.use-case';

/**
 * Who holds whose records at the desk, from profile's ProfileUpdated (MERGED, mergedInto), on a
 * real MongoDB-wire server and Redis: chains, unmerges, loops, versions out of order, and a merge
 * into a customer the desk erased before the merge reached it.
 */
describe('CustomerHolders and RecordProfilesUseCase (real MongoDB-wire server and Redis)', () => {
  let db: Connection;
  let redis: Redis;
  let holders: CustomerHolders;
  let record: RecordProfilesUseCase;
  let erase: RecordErasuresUseCase;
  let erasures: RedisCustomerErasures;
  let interactions: RedisCustomerInteractions;
  const prefix = `${uniqueName('test_holders')}:`;

  const updated = (customerId: string, version: number, merged?: string): EventEnvelope<ProfileUpdated> =>
    ({ eventId: `pu-${customerId}-${version}`, type: 'ProfileUpdated', schemaVersion: 1, occurredAt: new Date().toISOString(), source: 'meridian-profile', customerId, payload: { customerId, version, changedFields: ['status'], features: {}, ...(merged ? { status: 'MERGED', mergedInto: merged } : { status: 'ACTIVE' }) } }) as unknown as EventEnvelope<ProfileUpdated>;

  beforeAll(async () => {
    db = await mongoose.createConnection(testServers().mongoUri, { dbName: uniqueName('test_holders') }).asPromise();
    redis = new Redis(testServers().redisUrl, { maxRetriesPerRequest: null });
    const config = { redisPrefix: prefix, SERVICE_DESK_CONTEXT_INTERACTIONS: 20 } as ServiceDeskConfig;
    const profiles = new CustomerProfileRepository(db);
    const members = new RedisCustomerMembers(redis, config);
    erasures = new RedisCustomerErasures(redis, config);
    interactions = new RedisCustomerInteractions(redis, config);
    holders = new CustomerHolders(profiles, members);
    erase = new RecordErasuresUseCase(erasures, interactions, holders);
    record = new RecordProfilesUseCase(profiles, members, holders, erasures, erase);
  });

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await db.dropDatabase();
    await db.close();
  });

  it('follows a chain to the customer who holds it, and lists everyone whose pointers lead there; an unmerge gives them back', async () => {
    const [a, b, c] = ['A', 'B', 'C'].map((x) => uniqueName(x));
    await record.execute([updated(a, 1), updated(b, 1), updated(c, 1)]);
    await record.execute([updated(c, 2, b)]);
    await record.execute([updated(b, 2, a)]);
    expect(await holders.of(c)).toEqual({ customerId: a, owners: [a, b, c] });
    expect(await holders.of(a)).toEqual({ customerId: a, owners: [a, b, c] });
    expect(await holders.heldBy([b])).toEqual([b, c]);
    // B is unmerged from A (ACTIVE at a newer version): B holds C again, A holds itself.
    await record.execute([updated(b, 3)]);
    expect(await holders.of(c)).toEqual({ customerId: b, owners: [b, c] });
    expect(await holders.of(a)).toEqual({ customerId: a, owners: [a] });
  });

  it('the highest version stands: an older or a same-version fact moves no one', async () => {
    const [s, m] = [uniqueName('S'), uniqueName('M')];
    await record.execute([updated(m, 5, s)]);
    await record.execute([updated(m, 4)]);
    await record.execute([updated(m, 5)]);
    expect(await holders.of(m)).toEqual({ customerId: s, owners: [s, m] });
    expect(await redis.sismember(`${prefix}sd:members:${s}`, m)).toBe(1);
  });

  it('a MERGED fact kept before the desk kept pointers takes its pointer when the same version comes again (a replay)', async () => {
    const [s, m] = [uniqueName('S'), uniqueName('M')];
    await db.collection('customer_profiles').insertOne({ _id: m as never, version: 3, status: 'MERGED' });
    expect(await holders.of(m)).toEqual({ customerId: m, owners: [m] });
    await record.execute([updated(m, 3, s)]);
    expect(await holders.of(m)).toEqual({ customerId: s, owners: [s, m] });
  });

  it('a member whose pointer moved on is not counted, wherever the index still lists it', async () => {
    const [s, t, m] = [uniqueName('S'), uniqueName('T'), uniqueName('M')];
    await record.execute([updated(m, 2, t)]);
    await redis.sadd(`${prefix}sd:members:${s}`, m);
    expect(await holders.of(s)).toEqual({ customerId: s, owners: [s] });
    expect(await holders.of(m)).toEqual({ customerId: t, owners: [t, m] });
  });

  it('a loop is held by one customer, whoever enters it', async () => {
    const [x, y] = [uniqueName('X'), uniqueName('Y')];
    await record.execute([updated(x, 2, y), updated(y, 2, x)]);
    const [fromX, fromY] = [await holders.of(x), await holders.of(y)];
    expect(fromX.customerId).toBe([x, y].sort()[0]);
    expect(fromY.customerId).toBe(fromX.customerId);
  });

  it('a merge into a customer already erased at the desk erases the merged customer and everyone they hold', async () => {
    const [s, m, n] = [uniqueName('S'), uniqueName('M'), uniqueName('N')];
    await record.execute([updated(n, 2, m)]);
    await interactions.record([{ customerId: m, interaction: { interactionId: uniqueName('ix'), kind: 'LOGIN', channel: 'APP', occurredAt: new Date().toISOString() } }], 20);
    await erase.execute([s]);
    expect(await erasures.erased([s, m, n])).toEqual(new Set([s]));
    // CustomerErased (crm.governance.v1) was read before profile's ProfileUpdated of the merge (crm.profile.v1).
    await record.execute([updated(m, 3, s)]);
    expect(await erasures.erased([s, m, n])).toEqual(new Set([s, m, n]));
    expect(await interactions.recent(m, 20)).toEqual([]);
    expect((await erasures.pending(100)).map((p) => p.customerId)).toEqual(expect.arrayContaining([m, n]));
  });
});

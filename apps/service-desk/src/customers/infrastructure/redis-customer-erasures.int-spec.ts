import { testServers, uniqueName } from '@meridian/shared/testing';
import Redis from 'ioredis';
import { ServiceDeskConfig } from '../../config/service-desk.config';
import { RedisCustomerErasures } from './redis-customer-erasures';

/** The erasures' pending set on a real Redis: a customer marked again during a pass stays for the next one. */
describe('RedisCustomerErasures (real Redis)', () => {
  let redis: Redis;
  let erasures: RedisCustomerErasures;

  beforeAll(() => {
    redis = new Redis(testServers().redisUrl, { maxRetriesPerRequest: null });
    erasures = new RedisCustomerErasures(redis, { redisPrefix: `${uniqueName('test_erasures')}:` } as ServiceDeskConfig);
  });

  afterAll(() => redis.disconnect());

  it('keeps the erased for good, and a pending customer until a pass cleared them as last marked', async () => {
    const [a, b, c] = [uniqueName('C'), uniqueName('C'), uniqueName('C')];
    await erasures.mark([a, b], new Date('2026-12-02T09:00:00Z'));
    expect(await erasures.erased([a, b, c])).toEqual(new Set([a, b]));
    const pass = await erasures.pending(10);
    expect(pass).toEqual([
      { customerId: a, markedAt: Date.parse('2026-12-02T09:00:00Z') },
      { customerId: b, markedAt: Date.parse('2026-12-02T09:00:00Z') },
    ].sort((x, y) => x.customerId.localeCompare(y.customerId)));
    // A ticket of b's was opened during the pass: b is marked again, so the pass's clearing leaves b for the next one.
    await erasures.mark([b], new Date('2026-12-02T09:00:05Z'));
    await erasures.cleared(pass);
    expect(await erasures.pending(10)).toEqual([{ customerId: b, markedAt: Date.parse('2026-12-02T09:00:05Z') }]);
    await erasures.cleared(await erasures.pending(10));
    expect(await erasures.pending(10)).toEqual([]);
    expect(await erasures.erased([a, b])).toEqual(new Set([a, b]));
  });
});

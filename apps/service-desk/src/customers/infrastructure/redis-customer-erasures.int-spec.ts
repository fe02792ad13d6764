import { testServers, uniqueName } from '@meridian/shared/testing';
import Redis from 'ioredis';
import { ServiceDeskConfig } from '../../config/service-desk.config';
import { RedisCustomerErasures } from './redis-customer-erasures';

/** The erasures' pending set on a real Redis: a customer marked again during a pass stays for the next one. */
describe('RedisCustomerErasures (real Redis)', () => {
  let redis: Redis;
  let erasures: RedisCustomerErasures;

  const prefix = `${uniqueName('test_erasures')}:`;

  beforeAll(() => {
    redis = new Redis(testServers().redisUrl, { maxRetriesPerRequest: null });
    erasures = new RedisCustomerErasures(redis, { redisPrefix: prefix } as ServiceDeskConfig);
  });

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('keeps the erased for good, and a pending customer until a pass cleared them as last marked', async () => {
    const [a, b, c] = [uniqueName('C'), uniqueName('C'), uniqueName('C')];
    await erasures.mark([a, b]);
    expect(await erasures.erased([a, b, c])).toEqual(new Set([a, b]));
    const pass = await erasures.pending(10);
    expect(pass.map((p) => p.customerId)).toEqual([a, b]);
    // A ticket of b's was opened during the pass, at once (the same millisecond, or on an instance whose clock lags): b is marked again, later in the sequence.
    await erasures.mark([b]);
    await erasures.cleared(pass);
    const left = await erasures.pending(10);
    expect(left.map((p) => p.customerId)).toEqual([b]);
    expect(left[0].markedAt).toBeGreaterThan(pass[1].markedAt);
    await erasures.cleared(left);
    expect(await erasures.pending(10)).toEqual([]);
    expect(await erasures.erased([a, b])).toEqual(new Set([a, b]));
  });
});

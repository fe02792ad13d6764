import type { Role } from '@meridian/events';
import { uniqueName, waitFor } from '@meridian/shared/testing';
import { sampleFeatures as features } from './segments/testing/sample-features';
import { SegmentationHarness, update } from './testing/segmentation-harness';

/**
 * ADR 0009, "Redis loses the derived data": segmentation keeps its counters, member sets,
 * applied revs and due index only in Redis. Every key under its prefix deleted (a Redis
 * restarted without persistence), it rebuilds them from segment_states — found by the running
 * check, and at start — and answers the same analytics, members and due entries as before;
 * writes after (and during) the loss count exactly once.
 */
describe('segmentation rebuilds what it derives in Redis (real Kafka, MongoDB-wire server and Redis)', () => {
  const CNY = 100;
  const PARTITIONS = 8;
  let h: SegmentationHarness;
  const key = (k: string) => `${h.env.MONGODB_DATABASE}:seg:${k}`;

  async function get(path: string, roles: Role[]) {
    const res = await h.http('GET', path, roles);
    expect(res.status).toBe(200);
    return res.body;
  }
  /**
   * Each customer evaluated at (at least) its version, and its write settled: its outbox out, its
   * effects applied (settled revs live in Redis too: after a loss, ask only about customers written since).
   */
  async function settled(versions: Map<string, number>) {
    await waitFor(async () => {
      const docs = await h.db.collection('segment_states').find({ _id: { $in: [...versions.keys()] as never[] } }).toArray();
      if (docs.length < versions.size || docs.some((d) => d.profileVersion < (versions.get(d._id as unknown as string) as number))) return false;
      const revs = await h.redis.hmget(key('settled'), ...docs.map((d) => d._id as unknown as string));
      return docs.every((d, i) => Number(revs[i] ?? 0) >= d.rev);
    }, 90_000, `${versions.size} customers evaluated and settled`);
  }
  const counters = async () => (await h.countersAndRecount()).kept;
  /** The counters a recount of the stored states gives (reconciliation). */
  const recount = async () => (await h.countersAndRecount()).recount;
  /** What the service answers and holds: analytics, a tag's and a segment's members, the due index, the counters. */
  async function snapshot() {
    const stripped = ({ asOf: _asOf, ...rest }: any) => rest;
    const due: Record<string, string[]> = {};
    for (let p = 0; p < PARTITIONS; p++) due[p] = await h.redis.zrange(key(`due:${p}`), 0, -1, 'WITHSCORES');
    return {
      tiers: stripped(await get('/v1/analytics/tiers', ['EXECUTIVE'])),
      lifecycle: stripped(await get('/v1/analytics/lifecycle', ['EXECUTIVE'])),
      payroll: await get('/v1/segments/tag:PAYROLL/members?limit=500', ['MARKETING']),
      gold: await get('/v1/segments/tag:GOLD_CUSTOMER/members?limit=500', ['MARKETING']),
      due,
      counters: await counters(),
    };
  }
  /** A Redis restarted without persistence, for this service alone: every key under its prefix (the server is shared). */
  async function loseRedisData() {
    let cursor = '0';
    do {
      const [next, keys] = await h.redis.scan(cursor, 'MATCH', `${h.env.MONGODB_DATABASE}:*`, 'COUNT', 1000);
      if (keys.length) await h.redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    expect(await h.redis.exists(key('built'), key('counters'), key('applied'))).toBe(0);
  }
  const rebuilt = (what: string) => waitFor(async () => (await h.redis.get(key('built'))) ?? undefined, 60_000, `the derived data rebuilt (${what})`);
  async function metric(name: string) {
    const text = await (await fetch(`${h.service.url}/metrics`)).text();
    return text.split('\n').filter((l) => l.startsWith(name)).join('\n');
  }

  const ids = Array.from({ length: 36 }, (_, i) => `${uniqueName('R')}-${String(i).padStart(2, '0')}`);
  const aumOf = (i: number) => [10_000, 80_000, 600_000, 7_000_000][i % 4] * CNY;
  const versions = new Map<string, number>();

  beforeAll(async () => {
    h = await SegmentationHarness.start({ SEGMENT_SWEEP_PARTITIONS: String(PARTITIONS), SEGMENT_DERIVED_CHECK_SECONDS: '1', SEGMENT_REBUILD_BATCH: '10', SEGMENT_REBUILD_WAIT_MS: '200' });
    // A few dozen customers over every tier, two branches, some on payroll; two of them erased afterwards (tombstones).
    await h.publisher.publishAll(ids.map((id, i) => update(id, 1, features({ aumMinor: aumOf(i), branchId: i % 3 ? 'BR1' : 'BR2', tags: i % 2 ? ['PAYROLL'] : [] }))));
    for (const id of ids) versions.set(id, 1);
    await h.publisher.publishAll([ids[0], ids[5]].map((id) => update(id, 2, { aumMinor: 0, productsHeld: [], txnCount30d: 0, txnCount90d: 0, txnAmount30dMinor: 0, txnAmount90dMinor: 0, tags: [], asOf: '2026-11-30T10:30:00+08:00' }, { status: 'ERASED' })));
    versions.set(ids[0], 2).set(ids[5], 2);
    await settled(versions);
  }, 180_000);

  afterAll(() => h?.stop());

  let before: Awaited<ReturnType<typeof snapshot>>;

  it('built its derived data at its first start (the marker), and the counters agree with a recount of the states', async () => {
    expect(JSON.parse((await h.redis.get(key('built'))) as string)).toMatchObject({ builtAt: expect.any(String), builtBy: expect.stringContaining(':') });
    before = await snapshot();
    expect(before.counters).toEqual(await recount());
    expect(before.tiers.customers).toBe(ids.length - 2);
    expect(before.payroll.size).toBeGreaterThan(10);
    expect(before.gold.size).toBeGreaterThan(3);
    expect(Object.values(before.due).flat().length / 2).toBe(ids.length - 2); // every active customer is due some day (NEW runs out), tombstones never
  });

  it('finds the loss while running, rebuilds with consumption held, and answers as before', async () => {
    const done = async () => Number((await metric('meridian_segment_derived_rebuilds_total{outcome="done"')).split(' ').pop() || 0);
    const rebuildsBefore = await done();
    await loseRedisData();
    const marker = await rebuilt('the running check');
    expect(JSON.parse(marker)).toMatchObject({ states: expect.any(Number), active: ids.length - 2 });
    expect(await snapshot()).toEqual(before);
    expect(await done()).toBe(rebuildsBefore + 1);
    expect(await metric('meridian_segment_derived_built')).toMatch(/ 1$/);
  }, 120_000);

  it('rebuilds at start, before its consumer takes a record, and answers as before', async () => {
    await h.service.stop();
    await loseRedisData();
    // Waiting on the topic while it is down: taken only once the data is rebuilt, and counted once.
    const moved = ids[2]; // GOLD in BR1, not on payroll (i % 4 = 2, i % 3 ≠ 0, i even)
    await h.publisher.publishAll([update(moved, 2, features({ aumMinor: 7_000_000 * CNY, branchId: 'BR1', tags: [], asOf: '2026-11-30T11:00:00+08:00' }))]);
    await h.startService();
    await rebuilt('at start');
    await settled(new Map([[moved, 2]]));
    const after = await snapshot();
    expect(after.counters).toEqual(await recount());
    // Exactly the one customer's move, once: GOLD → DIAMOND in BR1, out of GOLD_CUSTOMER.
    const delta = Object.fromEntries([...new Set([...Object.keys(after.counters), ...Object.keys(before.counters)])].map((k) => [k, (after.counters[k] ?? 0) - (before.counters[k] ?? 0)]).filter(([, v]) => v !== 0));
    expect(delta).toMatchObject({ 'n|tier|GOLD|BR1': -1, 'n|tier|DIAMOND|BR1': 1, 'size|tag:GOLD_CUSTOMER': -1 });
    expect(delta['n|branch|BR1']).toBeUndefined();
    expect(after.tiers.customers).toBe(before.tiers.customers);
    expect(after.payroll).toEqual(before.payroll);
    expect(after.gold.members).toEqual(before.gold.members.filter((m: string) => m !== moved));
    before = after;
  }, 180_000);

  it('a ProfileUpdated after the rebuild moves the counters exactly once, and one during the loss is counted once too', async () => {
    const [later, during] = [ids[14], ids[10]]; // GOLD in BR1, both: upgraded to DIAMOND (a downgrade would wait out its grace)
    await h.publisher.publishAll([update(later, 2, features({ aumMinor: 7_000_000 * CNY, branchId: 'BR1', tags: [], asOf: '2026-11-30T12:00:00+08:00' }))]);
    await settled(new Map([[later, 2]]));
    expect(await counters()).toEqual(await recount());
    const afterLater = await counters();
    expect(afterLater['n|tier|GOLD|BR1']).toBe(before.counters['n|tier|GOLD|BR1'] - 1);
    expect(afterLater['n|tier|DIAMOND|BR1']).toBe(before.counters['n|tier|DIAMOND|BR1'] + 1);

    // Lost again, with a record arriving meanwhile: its write waits for (or is counted by) the rebuild, never both.
    await loseRedisData();
    await h.publisher.publishAll([update(during, 2, features({ aumMinor: 7_000_000 * CNY, branchId: 'BR1', tags: [], asOf: '2026-11-30T13:00:00+08:00' }))]);
    await rebuilt('a record arriving during the loss');
    await settled(new Map([[during, 2]]));
    const reconciled = await counters();
    expect(reconciled).toEqual(await recount());
    expect(reconciled['n|tier|GOLD|BR1']).toBe(afterLater['n|tier|GOLD|BR1'] - 1);
    expect(reconciled['n|tier|DIAMOND|BR1']).toBe(afterLater['n|tier|DIAMOND|BR1'] + 1);
    const members = await get('/v1/segments/tag:GOLD_CUSTOMER/members?limit=500', ['MARKETING']);
    expect(members.members).not.toContain(during);
    expect(members.size).toBe(members.members.length);
  }, 180_000);
});

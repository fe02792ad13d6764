import { ProfileFeatures, ProductType, Role } from '@meridian/events';
import { uniqueName, waitFor } from '@meridian/shared/testing';
import { SegmentationHarness, update } from '../testing/segmentation-harness';

/**
 * Issue 10, analytics: segmentation as a real process (real Kafka, MongoDB-wire server and
 * Redis). ProfileUpdated for a few customers in, the analytics routes read with an EXECUTIVE
 * token: counts, AUM, CLV and cross-sell gaps as published, no customer id in any answer,
 * 403 for other roles; clusters from the sample re-taken on demand.
 */
describe('segmentation analytics (real Kafka, MongoDB-wire server and Redis)', () => {
  const CNY = 100;
  let h: SegmentationHarness;

  /** Tiers by DOMAIN.md's default thresholds: GOLD ≥ 500,000 CNY, SILVER ≥ 50,000, MASS below. */
  const customers: Array<{ id: string; branchId?: string; aumCny: number; tier: string; products: ProductType[] }> = [
    { id: uniqueName('C'), branchId: 'B1', aumCny: 600_000, tier: 'GOLD', products: ['DEPOSIT_CURRENT', 'WEALTH'] },
    { id: uniqueName('C'), branchId: 'B1', aumCny: 700_000, tier: 'GOLD', products: ['DEPOSIT_CURRENT', 'WEALTH', 'FUND'] },
    { id: uniqueName('C'), branchId: 'B2', aumCny: 800_000, tier: 'GOLD', products: ['DEPOSIT_CURRENT'] },
    { id: uniqueName('C'), branchId: 'B2', aumCny: 10_000, tier: 'MASS', products: ['DEPOSIT_CURRENT'] },
    { id: uniqueName('C'), aumCny: 20_000, tier: 'MASS', products: ['DEPOSIT_CURRENT', 'CREDIT_CARD'] },
    { id: uniqueName('C'), branchId: 'B1', aumCny: 100_000, tier: 'SILVER', products: ['DEPOSIT_CURRENT'] },
  ];

  function features(c: (typeof customers)[number], i: number): ProfileFeatures {
    return {
      aumMinor: c.aumCny * CNY,
      aumPeak90dMinor: c.aumCny * CNY,
      productsHeld: c.products,
      balancesByType: { DEPOSIT_CURRENT: c.aumCny * CNY },
      txnCount30d: 2 + i,
      txnCount90d: 6 + 3 * i,
      txnAmount30dMinor: 4_000 * CNY * (i + 1),
      txnAmount90dMinor: 12_000 * CNY * (i + 1),
      txnCountPrior60d: 4 + 2 * i,
      byChannel90d: { MOBILE: { n: i, cnyMinor: 1_000 }, BRANCH: { n: 6 - i, cnyMinor: 1_000 } },
      tags: [],
      firstProductAt: '2024-01-10T09:00:00+08:00',
      lastTransactionAt: '2026-11-29T10:00:00+08:00',
      lastActivityAt: '2026-11-29T10:00:00+08:00',
      asOf: '2026-11-30T10:00:00+08:00',
      ...(c.branchId && { branchId: c.branchId }),
    };
  }

  const http = (method: string, path: string, roles: Role[] = ['EXECUTIVE']) => h.http(method, path, roles);
  const noCustomerIds = (text: string) => customers.every((c) => !text.includes(c.id));

  beforeAll(async () => {
    h = await SegmentationHarness.start({}, { sub: 'analyst-1' });
  }, 120_000);

  afterAll(() => h?.stop());

  it('takes a (still empty) cluster sample at start; clusters of it are refused until there are customers', async () => {
    const taken = await waitFor(async () => (await h.db.collection('segment_cluster_sample').findOne({ _id: 'current' as never })) ?? undefined, 60_000, 'the start pass');
    expect(taken).toMatchObject({ customersSeen: 0, values: [] });
    const clusters = await http('GET', '/v1/analytics/clusters?k=2');
    expect(clusters.status).toBe(409);
  });

  it('answers tiers, lifecycle, value and cross-sell from the counters: as published, stamped, no customer id', async () => {
    await h.publisher.publishAll(customers.map((c, i) => update(c.id, 1, features(c, i))));
    // Settled: its events published and its counters applied (segments/infrastructure/redis-settled-writes.ts).
    await h.evaluated(customers.map((c) => c.id), 1, 60_000);
    const states = await Promise.all(customers.map((c) => h.state(c.id)));
    expect(states.map((s) => s.facts.tier)).toEqual(customers.map((c) => c.tier));

    const before = Date.now();
    const tiers = await http('GET', '/v1/analytics/tiers');
    expect(tiers.status).toBe(200);
    expect(Date.parse(tiers.body.asOf)).toBeGreaterThanOrEqual(before - 1_000);
    expect(tiers.body).toMatchObject({ customers: 6, aumMinor: 2_230_000 * CNY });
    const tier = (t: string) => tiers.body.rows.find((r: { value: string }) => r.value === t);
    expect(tier('GOLD')).toEqual({
      value: 'GOLD', customers: 3, aumMinor: 2_100_000 * CNY, share: 0.5,
      byBranch: [{ branchId: 'B1', customers: 2, aumMinor: 1_300_000 * CNY }, { branchId: 'B2', customers: 1, aumMinor: 800_000 * CNY }],
    });
    expect(tier('MASS')).toMatchObject({ customers: 2, aumMinor: 30_000 * CNY, byBranch: [{ branchId: '-', customers: 1 }, { branchId: 'B2', customers: 1 }] });
    expect(tier('DIAMOND')).toMatchObject({ customers: 0, share: 0, byBranch: [] });
    const b1 = await http('GET', '/v1/analytics/tiers?branchId=B1');
    expect(b1.body).toMatchObject({ customers: 3, aumMinor: 1_400_000 * CNY });

    // Stages as the service decided them (read back from the states).
    const lifecycle = await http('GET', '/v1/analytics/lifecycle', ['MARKETING']);
    expect(lifecycle.status).toBe(200);
    const stages = new Map<string, number>();
    for (const s of states) stages.set(s.facts.lifecycleStage, (stages.get(s.facts.lifecycleStage) ?? 0) + 1);
    expect(Object.fromEntries(lifecycle.body.rows.filter((r: any) => r.customers).map((r: any) => [r.value, r.customers]))).toEqual(Object.fromEntries(stages));

    // AUM and CLV by branch: CLV as each state holds it.
    const value = await http('GET', '/v1/analytics/value');
    const clvOf = (branch: string) => states.filter((s) => (s.facts.branchId ?? '-') === branch).reduce((n, s) => n + (s.facts.clvMinor ?? 0), 0);
    expect(value.body.branches.map((b: any) => [b.branchId, b.customers, b.aumMinor, b.clvMinor])).toEqual([
      ['-', 1, 20_000 * CNY, clvOf('-')],
      ['B1', 3, 1_400_000 * CNY, clvOf('B1')],
      ['B2', 2, 810_000 * CNY, clvOf('B2')],
    ]);
    expect(clvOf('B1')).toBeGreaterThan(0);
    expect(value.body.branches[1].averageAumMinor).toBe(Math.round((1_400_000 * CNY) / 3));

    // GOLD: all hold DEPOSIT_CURRENT (gap 0), 2 of 3 WEALTH (gap 1/3), FUND 1 of 3 is not "most";
    // MASS: CREDIT_CARD 1 of 2 is exactly half, not most.
    const crossSell = await http('GET', '/v1/analytics/cross-sell');
    const gaps = (t: string) => crossSell.body.tiers.find((g: { tier: string }) => g.tier === t);
    expect(crossSell.body.mostShare).toBe(0.5);
    expect(gaps('GOLD')).toMatchObject({ customers: 3, products: [{ productType: 'WEALTH', holders: 2, without: 1, gapShare: 1 / 3 }, { productType: 'DEPOSIT_CURRENT', holders: 3, without: 0, gapShare: 0 }] });
    expect(gaps('MASS').products.map((p: { productType: string }) => p.productType)).toEqual(['DEPOSIT_CURRENT']);
    expect((await http('GET', '/v1/analytics/cross-sell?tier=SILVER')).body.tiers).toEqual([{ tier: 'SILVER', customers: 1, products: [{ productType: 'DEPOSIT_CURRENT', holders: 1, heldShare: 1, without: 0, gapShare: 0 }] }]);

    for (const r of [tiers, b1, lifecycle, value, crossSell]) {
      expect(noCustomerIds(r.text)).toBe(true);
      expect(r.body.asOf).toEqual(expect.any(String));
    }
  }, 180_000);

  it('clusters the sample re-taken on demand: k clusters summing to the sample, the same answer twice, no customer id', async () => {
    const taken = await http('POST', '/v1/analytics/clusters/sample', ['ADMIN']);
    expect(taken.status).toBe(200);
    expect(taken.body).toMatchObject({ sampleSize: 6, customersSeen: 6, documentsRead: 6 });
    console.log(`cluster sample pass over ${taken.body.documentsRead} documents: ${taken.body.durationMs} ms`);

    const three = await http('GET', '/v1/analytics/clusters?k=3');
    expect(three.status).toBe(200);
    expect(three.body).toMatchObject({ k: 3, chosenBy: 'request', sampleSize: 6, sampleTakenAt: taken.body.takenAt });
    expect(three.body.clusters).toHaveLength(3);
    expect(three.body.clusters.reduce((n: number, c: { size: number }) => n + c.size, 0)).toBe(6);
    for (const c of three.body.clusters) expect(c).toEqual({ size: expect.any(Number), share: expect.any(Number), centroid: expect.objectContaining({ aumMinor: expect.any(Number), r: expect.any(Number) }), label: expect.any(String), silhouette: expect.any(Number) });
    const again = await http('GET', '/v1/analytics/clusters?k=3', ['MARKETING']);
    expect({ ...again.body, asOf: undefined }).toEqual({ ...three.body, asOf: undefined });

    const auto = await http('GET', '/v1/analytics/clusters');
    expect(auto.body.chosenBy).toBe('silhouette');
    expect(auto.body.candidates.map((c: { k: number }) => c.k)).toEqual([2, 3, 4, 5, 6]);
    expect(auto.body.clusters.reduce((n: number, c: { size: number }) => n + c.size, 0)).toBe(6);
    expect((await http('GET', '/v1/analytics/clusters?k=7')).status).toBe(409); // more clusters than customers sampled
    for (const r of [taken, three, auto]) expect(noCustomerIds(r.text)).toBe(true);
    expect(noCustomerIds(JSON.stringify(await h.db.collection('segment_cluster_sample').findOne({ _id: 'current' as never })))).toBe(true);
  }, 120_000);

  it('refuses RM and TELLER (403) on every analytics route, and names a bad query field (400)', async () => {
    for (const path of ['tiers', 'lifecycle', 'value', 'cross-sell', 'clusters']) {
      for (const role of ['RM', 'TELLER'] as Role[]) expect((await http('GET', `/v1/analytics/${path}`, [role])).status).toBe(403);
    }
    expect((await http('POST', '/v1/analytics/clusters/sample', ['EXECUTIVE'])).status).toBe(403);
    for (const [path, field] of [['tiers?branchId=B1%7CB2', 'branchId'], ['value?branchId=', 'branchId'], ['cross-sell?tier=PLATINUM', 'tier'], ['clusters?k=11', 'k'], ['clusters?k=1', 'k'], ['lifecycle?customerId=X', 'customerId']]) {
      const r = await http('GET', `/v1/analytics/${path}`);
      expect(r.status).toBe(400);
      expect(r.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  }, 60_000);
});

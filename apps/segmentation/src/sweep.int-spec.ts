import { uniqueName, waitFor } from '@meridian/shared/testing';
import { SegmentationHarness, day, features, update } from './testing/segmentation-harness';

/**
 * Issue 10, "the time that passes": customers move with no new event, time advanced only
 * through POST /v1/sweeps {asOf}; a sweep killed mid-way resumes and announces every due
 * change once.
 */
describe('segmentation sweep (real Kafka, MongoDB-wire server and Redis)', () => {
  const CNY = 100;
  let h: SegmentationHarness;
  const segmentEvents = (customerId?: string) => h.segmentEvents(customerId);
  const evaluated = (customerId: string, version: number) => h.evaluated([customerId], version, 60_000);
  const http = (method: string, path: string, roles: Parameters<SegmentationHarness['http']>[2], body?: unknown) => h.http(method, path, roles, body);
  const sweep = (asOf: string) => h.sweep(asOf);

  beforeAll(async () => {
    h = await SegmentationHarness.start({ SEGMENT_SWEEP_PARTITIONS: '8', SEGMENT_SWEEP_BATCH: '20', SEGMENT_SWEEP_LOCK_SECONDS: '10' });
  }, 120_000);

  afterAll(() => h?.stop());

  it('moves a silent customer ACTIVE → AT_RISK at 90 days and → DORMANT at 180, and downgrades a tier only after 30 days below it', async () => {
    const T = '2026-01-05T02:00:00.000Z';
    const [silent, poorer] = [uniqueName('C'), uniqueName('C')];
    await h.publisher.publishAll([update(silent, 1, features({ lastTransactionAt: T, lastActivityAt: T, asOf: day(T, 1) }))]);
    // GOLD, then AUM below the GOLD threshold on day 10 (and active all along, so only the tier is at stake).
    await h.publisher.publishAll([update(poorer, 1, features({ lastTransactionAt: day(T, 1), lastActivityAt: day(T, 1), asOf: day(T, 1) }))]);
    await h.publisher.publishAll([update(poorer, 2, features({ aumMinor: 300_000 * CNY, lastTransactionAt: day(T, 10), lastActivityAt: day(T, 10), asOf: day(T, 10) }))]);
    await evaluated(silent, 1);
    await evaluated(poorer, 2);
    await h.out.readToEnd();
    const stages = () => segmentEvents(silent).filter((e) => e.type === 'LifecycleStageChanged').map((e) => e.payload.to);
    const tiers = () => segmentEvents(poorer).filter((e) => e.type === 'TierChanged').map((e) => `${e.payload.from ?? ''}→${e.payload.to}`);
    expect(stages()).toEqual(['ACTIVE']);
    expect(tiers()).toEqual(['→GOLD']);

    await sweep(day(T, 39)); // poorer: 29 days below
    expect(tiers()).toEqual(['→GOLD']);
    await sweep(day(T, 40)); // 30 days below
    expect(tiers()).toEqual(['→GOLD', 'GOLD→SILVER']);

    await sweep(day(T, 89));
    expect(stages()).toEqual(['ACTIVE']);
    await sweep(day(T, 90));
    expect(stages()).toEqual(['ACTIVE', 'AT_RISK']);
    await sweep(day(T, 179));
    expect(stages()).toEqual(['ACTIVE', 'AT_RISK']);
    const dormant = await sweep(day(T, 180));
    expect(stages()).toEqual(['ACTIVE', 'AT_RISK', 'DORMANT']);
    expect(segmentEvents(silent).find((e) => e.type === 'LifecycleStageChanged' && e.payload.to === 'DORMANT')?.payload.reason).toMatch(/180 days/);
    // It read only who was due, not the base.
    expect(dormant.read).toBeLessThanOrEqual(2);
    // Sweeping the same instant again changes nothing.
    const before = segmentEvents().length;
    await sweep(day(T, 180));
    expect(segmentEvents().length).toBe(before);
  }, 180_000);

  it('a sweep killed mid-way resumes where it stopped, and every due change is announced once', async () => {
    const T = '2026-03-01T02:00:00.000Z';
    const ids = Array.from({ length: 600 }, () => uniqueName('K'));
    await h.publisher.publishAll(ids.map((id) => update(id, 1, features({ lastTransactionAt: T, lastActivityAt: T, asOf: day(T, 1) }))));
    for (const id of [ids[0], ids[ids.length - 1]]) await evaluated(id, 1);
    await h.evaluated(ids, 1);

    const started = await http('POST', '/v1/sweeps', ['ADMIN'], { asOf: day(T, 95) });
    expect(started.status).toBe(202);
    // A bad instant is refused, naming the field.
    const bad = await http('POST', '/v1/sweeps', ['ADMIN'], { asOf: 'yesterday' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('asOf');
    // One sweep at a time.
    expect((await http('POST', '/v1/sweeps', ['SYSTEM'], { asOf: day(T, 96) })).status).toBe(409);
    const midway = await waitFor(async () => {
      const r = await http('GET', `/v1/sweeps/${encodeURIComponent(started.body._id)}`, ['AUDITOR']);
      return r.body.partitionsDone?.length >= 1 ? r.body : undefined;
    }, 60_000, 'a partition swept');
    await h.kill();
    expect(midway.finishedAt).toBeUndefined();
    expect(midway.partitionsDone.length).toBeLessThan(8);

    // Restarted (the lease of the dead one runs out), it resumes the unfinished sweep by itself.
    await h.startService();
    const finished = await h.sweepFinished(started.body._id, 150_000);
    expect(finished.partitionsDone.sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    await h.out.readToEnd();

    const atRisk = segmentEvents().filter((e) => ids.includes(e.customerId) && e.type === 'LifecycleStageChanged' && e.payload.to === 'AT_RISK');
    const eventIdsPerCustomer = new Map<string, Set<string>>();
    for (const e of atRisk) eventIdsPerCustomer.set(e.customerId, new Set([...(eventIdsPerCustomer.get(e.customerId) ?? []), e.eventId]));
    // Every due customer moved, each by one decision (a record sent again after the kill carries the same eventId).
    expect(eventIdsPerCustomer.size).toBe(ids.length);
    expect([...eventIdsPerCustomer.values()].every((s) => s.size === 1)).toBe(true);

    // Reconciliation: the counters kept as changes happened (analytics, segment sizes) equal a recount of the stored states.
    const { kept, recount } = await h.countersAndRecount();
    expect(kept).toEqual(recount);
    expect(recount['n|stage|AT_RISK|-']).toBeGreaterThanOrEqual(ids.length);
  }, 300_000);
});

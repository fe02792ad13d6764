import { uniqueName, waitFor } from '@meridian/shared/testing';
import { CNY, SegmentationHarness, day, features, update } from './testing/segmentation-harness';

/**
 * Issue 10, points 1 and 5: in the quantile RFM mode the sweep recalibrates the breakpoints
 * from the customer base and re-scores whom they move — killed mid-way, it resumes and
 * announces every re-score once — and streaming scores on them from then on.
 */
describe('RFM quantile recalibration in the sweep (real Kafka, MongoDB-wire server and Redis)', () => {
  let h: SegmentationHarness;
  const T = '2026-05-01T02:00:00.000Z';
  /** Customer i (1…50): last transaction i days before T, i transactions and i × 1,000 CNY in 90 days. */
  const base = Array.from({ length: 50 }, (_, k) => ({ id: uniqueName('Q'), i: k + 1 }));
  const inputs = (i: number, at = T) => features({ lastTransactionAt: day(T, -i), lastActivityAt: day(T, -i), txnCount90d: i, txnAmount90dMinor: i * 1_000 * CNY, asOf: at });
  /** Quintiles of 1…50, worked by hand: R 5 within 10 days, … ; F 5 from 41 transactions, … */
  const expectedR = (days: number) => (days <= 10 ? 5 : days <= 20 ? 4 : days <= 30 ? 3 : days <= 40 ? 2 : 1);
  const expectedF = (n: number) => (n >= 41 ? 5 : n >= 31 ? 4 : n >= 21 ? 3 : n >= 11 ? 2 : 1);

  beforeAll(async () => {
    h = await SegmentationHarness.start({ SEGMENT_RFM_MODE: 'QUANTILE', SEGMENT_RFM_QUANTILE_MIN_CUSTOMERS: '5', SEGMENT_SWEEP_PARTITIONS: '4', SEGMENT_SWEEP_BATCH: '2', SEGMENT_SWEEP_LOCK_SECONDS: '10' });
  }, 120_000);
  afterAll(() => h?.stop());

  it('measures the base, puts the quintiles in force, re-scores each customer they move once across a kill, and streaming scores on them', async () => {
    await h.publisher.publishAll(base.map(({ id, i }) => update(id, 1, inputs(i))));
    await h.evaluated(base.map((c) => c.id), 1);
    const before = await h.http('GET', '/v1/analytics/rfm', ['MARKETING']);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ mode: 'QUANTILE', breakpoints: { recencyDays: [7, 30, 60, 90], frequencyCounts: [30, 15, 8, 3] } });
    expect(before.body.calibration).toBeUndefined();
    await h.out.readToEnd();
    const streamedEvent = new Map(base.map(({ id }) => [id, h.segmentEvents(id).find((e) => e.type === 'RfmScored')]));
    const streamed = new Map([...streamedEvent].map(([id, e]) => [id, e?.payload]));

    const started = await h.http('POST', '/v1/sweeps', ['ADMIN'], { asOf: T });
    expect(started.status).toBe(202);
    const midway = await waitFor(async () => {
      const r = await h.http('GET', `/v1/sweeps/${encodeURIComponent(started.body._id)}`, ['AUDITOR']);
      return r.body.rfm?.read >= 6 ? r.body : undefined;
    }, 60_000, 'the re-scoring under way');
    await h.kill();
    expect(midway.rfm).toMatchObject({ moved: true, done: false });
    expect(midway.finishedAt).toBeUndefined();

    // Restarted, it resumes the unfinished sweep by itself (once the dead holder's lease ran out).
    await h.startService();
    const finished = await h.sweepFinished(started.body._id, 150_000);
    expect(finished.rfm).toMatchObject({ moved: true, done: true, measured: { recency: 50, frequency: 50, monetary: 50 }, documentsRead: 50 });
    expect(finished.rfm.read).toBeGreaterThanOrEqual(50);

    const after = await h.http('GET', '/v1/analytics/rfm', ['EXECUTIVE']);
    expect(after.body).toMatchObject({
      mode: 'QUANTILE',
      breakpoints: { recencyDays: [10, 20, 30, 40], frequencyCounts: [41, 31, 21, 11], monetaryMinor: [41_000, 31_000, 21_000, 11_000].map((cny) => cny * CNY) },
      calibration: { sweepId: started.body._id, measured: { recency: 50 }, documentsRead: 50 },
    });

    // Every customer stands at their quintile score; one whose score moved was announced once (one eventId, even if sent again after the kill).
    const docs = new Map((await h.db.collection('segment_states').find({ _id: { $in: base.map((c) => c.id) as never[] } }).toArray()).map((d) => [String(d._id), d]));
    let moved = 0;
    for (const { id, i } of base) {
      expect(docs.get(id)?.facts.rfm).toMatchObject({ r: expectedR(i), f: expectedF(i), m: expectedF(i) });
      const rescores = new Set(h.segmentEvents(id).filter((e) => e.type === 'RfmScored' && e.eventId !== streamedEvent.get(id)?.eventId).map((e) => e.eventId));
      const changed = streamed.get(id).r !== expectedR(i) || streamed.get(id).f !== expectedF(i) || streamed.get(id).m !== expectedF(i);
      expect(rescores.size).toBe(changed ? 1 : 0);
      if (changed) moved++;
    }
    expect(moved).toBeGreaterThan(20);
    const reconciled = await h.countersAndRecount();
    expect(reconciled.kept).toEqual(reconciled.recount);

    // The same instant again changes nothing.
    const sent = h.segmentEvents().length;
    await h.sweep(T);
    expect(h.segmentEvents().length).toBe(sent);
    // A day on, the whole base aged a day: recency's breakpoints move with it, and no one's score does.
    const rfmScored = () => h.segmentEvents().filter((e) => e.type === 'RfmScored').length;
    const scoredBefore = rfmScored();
    const next = await h.sweep(day(T, 1));
    expect(next.rfm).toMatchObject({ moved: true, done: true, rescored: 0 });
    expect((await h.http('GET', '/v1/analytics/rfm', ['ADMIN'])).body.breakpoints.recencyDays).toEqual([11, 21, 31, 41]);
    expect(rfmScored()).toBe(scoredBefore);

    // Streaming scores on the calibrated breakpoints: 26 days and 25 transactions are R 3, F 3 (R 4, F 4 on the fixed ones).
    const late = uniqueName('Q');
    await h.publisher.publishAll([update(late, 1, inputs(25, day(T, 1.1)))]);
    await h.evaluated([late], 1);
    await h.out.readToEnd();
    expect(h.segmentEvents(late).find((e) => e.type === 'RfmScored')?.payload).toMatchObject({ r: 3, f: 3, m: 3 });
  }, 300_000);
});

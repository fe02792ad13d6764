import { SystemClock } from '@meridian/shared';
import { dropTestMongo, testMongo } from '@meridian/shared/testing';
import type { Connection } from 'mongoose';
import { SegmentationConfig } from '../../config/segmentation.config';
import { RefreshClusterSampleUseCase } from '../application/refresh-cluster-sample.use-case';
import { clusterVector } from '../domain/cluster-features';
import { ClusterSampleRepository } from './cluster-sample.repository';

/**
 * The calibration pass on the MongoDB-wire server (FerretDB v1 scans for any filter but _id
 * equality, ADR 0005): one cursor over 10,000 state documents into a 5,000-vector sample,
 * stored by _id and read back; how long it takes is printed.
 */
describe('cluster sample pass (real MongoDB-wire server)', () => {
  const DOCS = 10_000;
  const TOMBSTONES = 100;
  let db: Connection;

  const state = (i: number) =>
    i < TOMBSTONES
      ? { _id: `C${i}`, rev: 1, outbox: [], status: 'ERASED', profileVersion: 2, asOf: '2026-11-30T10:00:00Z', memberships: [] }
      : {
          _id: `C${i}`,
          rev: 1,
          outbox: [],
          status: 'ACTIVE',
          profileVersion: 1,
          asOf: '2026-11-30T10:00:00Z',
          memberships: ['tag:PAYROLL'],
          tier: { tier: 'GOLD' },
          facts: { tier: 'GOLD', lifecycleStage: 'ACTIVE', churnScore: (i % 100) / 100, churnBand: 'LOW', rfm: { r: 1 + (i % 5), f: 1 + (i % 3), m: 1 + (i % 4), segment: 'Loyal' }, aumMinor: i * 1_000, productsHeld: i % 2 ? ['WEALTH', 'DEPOSIT_CURRENT'] : ['DEPOSIT_CURRENT'], txnCount30d: 1, txnCount90d: 3, txnAmount30dMinor: 10, txnAmount90dMinor: 30, tags: [], byChannel90d: { MOBILE: { n: i % 4, cnyMinor: 1 }, BRANCH: { n: 1, cnyMinor: 1 } } },
        };

  beforeAll(async () => {
    db = await testMongo('cluster-sample');
    const states = db.collection('segment_states');
    for (let from = 0; from < DOCS; from += 1_000) await states.insertMany(Array.from({ length: 1_000 }, (_, j) => state(from + j)) as never[]);
  }, 300_000);

  afterAll(() => dropTestMongo(db));

  it('reads every document once through a cursor, keeps a uniform 5,000 of the ACTIVE ones, stores and reads them back by _id', async () => {
    const repository = new ClusterSampleRepository(db);
    const config = Object.assign(new SegmentationConfig(), { SEGMENT_CLUSTER_SAMPLE_SIZE: 5_000, SEGMENT_CLUSTER_SEED: 7 });
    const refresh = new RefreshClusterSampleUseCase(repository, new SystemClock(), config);
    expect(await repository.takenAt()).toBeUndefined();

    const started = Date.now();
    const sample = (await refresh.execute())!;
    const passMs = Date.now() - started;
    console.log(`cluster sample pass over ${DOCS} segment_states documents: ${sample.durationMs} ms reading (${passMs} ms with the store)`);

    expect(sample).toMatchObject({ documentsRead: DOCS, customersSeen: DOCS - TOMBSTONES });
    expect(sample.vectors).toHaveLength(5_000);
    // The vectors are those of real states (rounded to 6 decimals), no tombstone among them.
    const all = new Set(Array.from({ length: DOCS - TOMBSTONES }, (_, i) => JSON.stringify(clusterVector(state(i + TOMBSTONES) as never).map((x) => Math.round(x * 1e6) / 1e6))));
    expect(sample.vectors.every((v) => all.has(JSON.stringify(v)))).toBe(true);
    // Uniform: the sample's mean AUM (uniform over 100…9,999 × 1,000) is near the population's.
    const meanIndex = sample.vectors.reduce((s, v) => s + (10 ** v[4] - 1) * 100 / 1_000, 0) / sample.vectors.length;
    expect(Math.abs(meanIndex - (TOMBSTONES + DOCS - 1) / 2)).toBeLessThan(250);

    const stored = await repository.load();
    expect(stored).toEqual({ ...sample });
    expect(await repository.takenAt()).toBe(sample.takenAt);
    expect(JSON.stringify(await db.collection('segment_cluster_sample').findOne({}))).not.toMatch(/"C\d+"/);

    // Fresh enough: not taken again.
    expect(await refresh.execute({ ifOlderThanMs: 3_600_000 })).toBeUndefined();
    expect((await repository.takenAt())).toBe(sample.takenAt);
  }, 300_000);
});

import { FixedClock } from '@meridian/shared';
import { SegmentationConfig } from '../../config/segmentation.config';
import { DerivedDataGate } from '../../segments/application/ports/derived-data.port';
import { RfmCalibration, RfmCalibrations } from '../../segments/application/ports/rfm-calibrations.port';
import { RuleBook } from '../../segments/application/ports/rule-book.port';
import { SegmentDefinitions } from '../../segments/application/ports/segment-definitions.port';
import { SegmentStateStore } from '../../segments/application/ports/segment-state-store.port';
import { JudgedWrites } from '../../segments/application/judged-writes';
import { SweepDoc, SweepRecords, SweepRfmStep } from './ports/sweep-records.port';
import { RecalibrateRfmUseCase } from './recalibrate-rfm.use-case';

/** Port doubles (the servers' behaviour is the int-spec's): what the use case stored and bumped. */
function setUp() {
  const saved: RfmCalibration[] = [];
  const rescored: boolean[] = [];
  let bumps = 0;
  const calibrations = { current: async () => saved.at(-1), save: async (c: RfmCalibration) => void saved.push(c), forEachActiveCustomer: async () => 0 } as unknown as RfmCalibrations;
  const records = { rfmRescored: async (_id: string, _last: string | undefined, _added: unknown, done: boolean) => void rescored.push(done) } as unknown as SweepRecords;
  const states = { scanIds: async function* () { yield* []; } } as unknown as SegmentStateStore; // an empty base
  const definitions = { bump: async () => void bumps++ } as unknown as SegmentDefinitions;
  const config = Object.assign(new SegmentationConfig(), { SEGMENT_RFM_MODE: 'QUANTILE' });
  const useCase = new RecalibrateRfmUseCase(calibrations, records, states, {} as JudgedWrites, {} as RuleBook, definitions, config, new FixedClock(new Date('2026-12-01T01:05:00Z')), {} as DerivedDataGate);
  return { useCase, saved, rescored, bumps: () => bumps };
}

const breakpoints = { recencyDays: [3, 9, 20, 45], frequencyCounts: [40, 20, 10, 4], monetaryMinor: [900, 500, 200, 100] } as SweepRfmStep['breakpoints'];
const measured: SweepRfmStep = { breakpoints, moved: true, measured: { recency: 60, frequency: 60, monetary: 60 }, documentsRead: 61, read: 0, rescored: 0, published: 0, done: false };
const sweep = (rfm?: SweepRfmStep): SweepDoc => ({ _id: '2026-12-01T01:00:00.000Z', asOf: '2026-12-01T01:00:00.000Z', partitions: 4, partitionsDone: [], read: 0, evaluated: 0, published: 0, startedAt: '2026-12-01T01:00:01.000Z', ...(rfm && { rfm }) });

describe('RecalibrateRfmUseCase, resumed', () => {
  it('a sweep killed after recording its measurement, before storing it: stores the breakpoints, bumps the edition, then re-scores', async () => {
    const { useCase, saved, rescored, bumps } = setUp();
    await useCase.execute(sweep(measured), async () => undefined);
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ breakpoints, sweepId: '2026-12-01T01:00:00.000Z', documentsRead: 61 });
    expect(bumps()).toBe(1);
    expect(rescored).toEqual([true]);
  });

  it('a sweep whose re-score is done does nothing more', async () => {
    const { useCase, saved, rescored, bumps } = setUp();
    await useCase.execute(sweep({ ...measured, done: true }), async () => undefined);
    expect([saved.length, bumps(), rescored.length]).toEqual([0, 0, 0]);
  });
});

import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@meridian/shared';
import { SegmentationConfig } from '../../config/segmentation.config';
import { DerivedDataGate } from '../../segments/application/ports/derived-data.port';
import { RfmCalibrations } from '../../segments/application/ports/rfm-calibrations.port';
import { RuleBook } from '../../segments/application/ports/rule-book.port';
import { SegmentDefinitions } from '../../segments/application/ports/segment-definitions.port';
import { SegmentStateStore } from '../../segments/application/ports/segment-state-store.port';
import { JudgedWrites } from '../../segments/application/judged-writes';
import { emptyRfmSample, measureRfm, rfmQuantileBreakpoints, sameBreakpoints } from '../../segments/domain/rfm-quantiles';
import { SweepDoc, SweepRecords, SweepRfmStep } from './ports/sweep-records.port';
import { rescoreCustomer } from './sweep-customer';

/** Renews the sweep's lease; throws when it was lost. */
export type KeepLease = () => Promise<void>;

/**
 * The quantile RFM mode's part of a sweep (issue 10, points 1 and 5; DOMAIN.md: RFM): the
 * base measured at the sweep's instant (one cursor pass over segment_states, projected to
 * RFM's three inputs), breakpoints at its quintiles, and — when they moved — stored, put in
 * force on every instance (the rule book's edition), and every customer they score
 * otherwise re-scored and announced (a second pass, checkpointed by customer: a killed
 * sweep resumes after the last one done, and what it re-reads is already re-scored). The
 * due index is set again for every customer read, since recency's breakpoints decide when
 * time alone next moves their R. Nothing in the fixed mode.
 */
@Injectable()
export class RecalibrateRfmUseCase {
  private readonly logger = new Logger('RfmRecalibration');

  constructor(
    private readonly calibrations: RfmCalibrations,
    private readonly records: SweepRecords,
    private readonly states: SegmentStateStore,
    private readonly judged: JudgedWrites,
    private readonly ruleBook: RuleBook,
    private readonly definitions: SegmentDefinitions,
    private readonly config: SegmentationConfig,
    private readonly clock: Clock,
    private readonly derived: DerivedDataGate,
  ) {}

  async execute(sweep: SweepDoc, keepLease: KeepLease): Promise<void> {
    if (this.config.rules.rfmMode !== 'QUANTILE') return;
    const step = sweep.rfm ?? (await this.measure(sweep, keepLease));
    if (!step.done) await this.rescore(sweep, step, keepLease);
  }

  private async measure(sweep: SweepDoc, keepLease: KeepLease): Promise<SweepRfmStep> {
    const sample = emptyRfmSample();
    // The pass is one cursor (no await between documents): the lease is kept meanwhile.
    let lost: Error | undefined;
    const keeping = setInterval(() => void keepLease().catch((error: Error) => (lost ??= error)), (this.config.SEGMENT_SWEEP_LOCK_SECONDS * 1_000) / 4);
    let documentsRead: number;
    try {
      documentsRead = await this.calibrations.forEachActiveCustomer((input) => measureRfm(sample, input, sweep.asOf));
    } finally {
      clearInterval(keeping);
    }
    if (lost) throw lost;
    await keepLease();
    const breakpoints = rfmQuantileBreakpoints(sample, this.config.rules);
    const measured = { recency: sample.recencyDays.length, frequency: sample.frequencyCounts.length, monetary: sample.monetaryMinor.length };
    const moved = !sameBreakpoints((await this.ruleBook.current()).numbers.rfmBreakpoints, breakpoints);
    if (moved) {
      await this.calibrations.save({ breakpoints, sweepId: sweep._id, measured, documentsRead, calibratedAt: this.clock.now().toISOString() });
      // Every instance's rule book reloads on its next look-up: streaming scores on the new breakpoints from then on.
      await this.definitions.bump();
    }
    this.logger.log(`sweep ${sweep._id}: RFM breakpoints ${moved ? 'recalibrated' : 'unchanged'} from ${documentsRead} documents (${JSON.stringify(breakpoints)})`);
    return this.records.rfmMeasured(sweep._id, { breakpoints, moved, measured, documentsRead, read: 0, rescored: 0, published: 0, done: !moved });
  }

  private async rescore(sweep: SweepDoc, step: SweepRfmStep, keepLease: KeepLease): Promise<void> {
    this.logger.log(`sweep ${sweep._id}: re-scoring RFM from ${step.rescoredThrough ?? 'the first customer'}`);
    let lastId = step.rescoredThrough;
    for await (const ids of this.states.scanIds(lastId, this.config.SEGMENT_SWEEP_BATCH)) {
      // Through JudgedWrites' load: the cached, newest copy, with what is settled of its outbox left out.
      const { written, published } = await this.judged.runOnceBuilt(ids, () => (doc, edition) => rescoreCustomer(doc, sweep.asOf, edition), () => this.derived.whenBuiltKeeping(() => keepLease().then(() => true), (this.config.SEGMENT_SWEEP_LOCK_SECONDS * 1_000) / 4, 'sweep lock'));
      const rescored = written.filter((w) => w.wrote).length;
      lastId = ids[ids.length - 1];
      await this.records.rfmRescored(sweep._id, lastId, { read: ids.length, rescored, published }, false);
      await keepLease();
    }
    await this.records.rfmRescored(sweep._id, undefined, { read: 0, rescored: 0, published: 0 }, true);
    this.logger.log(`sweep ${sweep._id}: RFM re-scored`);
  }
}

import { Injectable, Logger } from '@nestjs/common';
import { Clock, leaseKeptDuring } from '@meridian/shared';
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
    if (step.done) return;
    // Recorded before it is put in force, so a crash in between resumes here, not at a measure that would find nothing moved.
    await this.putInForce(sweep, step);
    await this.rescore(sweep, step, keepLease);
  }

  /** The renewal a pass keeps up on a timer: one cursor gives no turn between its documents, nor while its first page is sorted. */
  private kept<T>(keepLease: KeepLease, work: () => Promise<T>): Promise<T> {
    return leaseKeptDuring(() => keepLease().then(() => true), (this.config.SEGMENT_SWEEP_LOCK_SECONDS * 1_000) / 4, work);
  }

  private async measure(sweep: SweepDoc, keepLease: KeepLease): Promise<SweepRfmStep> {
    const sample = emptyRfmSample();
    const documentsRead = await this.kept(keepLease, () => this.calibrations.forEachActiveCustomer((input) => measureRfm(sample, input, sweep.asOf)));
    await keepLease();
    const breakpoints = rfmQuantileBreakpoints(sample, this.config.rules);
    const measured = { recency: sample.recencyDays.length, frequency: sample.frequencyCounts.length, monetary: sample.monetaryMinor.length };
    const moved = !sameBreakpoints((await this.ruleBook.current()).numbers.rfmBreakpoints, breakpoints);
    this.logger.log(`sweep ${sweep._id}: RFM breakpoints ${moved ? 'recalibrated' : 'unchanged'} from ${documentsRead} documents (${JSON.stringify(breakpoints)})`);
    return this.records.rfmMeasured(sweep._id, { breakpoints, moved, measured, documentsRead, read: 0, rescored: 0, published: 0, done: !moved });
  }

  /** The measured breakpoints stored and in force on every instance (their rule books reload on the edition); again on a resume, harmlessly. */
  private async putInForce(sweep: SweepDoc, step: SweepRfmStep): Promise<void> {
    const { breakpoints, measured, documentsRead } = step;
    const current = await this.calibrations.current();
    await this.calibrations.save({ breakpoints, sweepId: sweep._id, measured, documentsRead, calibratedAt: current?.sweepId === sweep._id ? current.calibratedAt : this.clock.now().toISOString() });
    await this.definitions.bump();
  }

  private async rescore(sweep: SweepDoc, step: SweepRfmStep, keepLease: KeepLease): Promise<void> {
    this.logger.log(`sweep ${sweep._id}: re-scoring RFM from ${step.rescoredThrough ?? 'the first customer'}`);
    const built = () => this.derived.whenBuiltKeeping(() => keepLease().then(() => true), (this.config.SEGMENT_SWEEP_LOCK_SECONDS * 1_000) / 4, 'sweep lock');
    await this.kept(keepLease, async () => {
      for await (const ids of this.states.scanIds(step.rescoredThrough, this.config.SEGMENT_SWEEP_BATCH)) {
        // Through JudgedWrites' load: the cached, newest copy, with what is settled of its outbox left out.
        const { written, published } = await this.judged.runOnceBuilt(ids, () => (doc, edition) => rescoreCustomer(doc, sweep.asOf, edition), built);
        await this.records.rfmRescored(sweep._id, ids[ids.length - 1], { read: ids.length, rescored: written.filter((w) => w.wrote).length, published }, false);
        await keepLease();
      }
    });
    await this.records.rfmRescored(sweep._id, undefined, { read: 0, rescored: 0, published: 0 }, true);
    this.logger.log(`sweep ${sweep._id}: RFM re-scored`);
  }
}

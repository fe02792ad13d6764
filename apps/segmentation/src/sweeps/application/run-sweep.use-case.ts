import { setTimeout as sleep } from 'node:timers/promises';
import { ConflictException, Injectable, Logger } from '@nestjs/common';
import { Clock } from '@meridian/shared';
import { DerivedDataGate, DerivedDataMissing } from '../../segments/application/ports/derived-data.port';
import { DueIndex } from '../../segments/application/ports/due-index.port';
import { JudgedWrites } from '../../segments/application/judged-writes';
import { SegmentationConfig } from '../../config/segmentation.config';
import { SweepLock } from './ports/sweep-lock.port';
import { SweepMetrics } from './ports/sweep-metrics.port';
import { SweepDoc, SweepProgress, SweepRecords } from './ports/sweep-records.port';
import { RecalibrateRfmUseCase } from './recalibrate-rfm.use-case';
import { sweepCustomer } from './sweep-customer';

/**
 * The daily sweep (issue 10, point 5): moves every customer whose clock ran out at `asOf`,
 * reading only the due index — a partition at a time, a step of `SEGMENT_SWEEP_BATCH`
 * customers at a time — never the whole base. One sweep at a time across instances (a lease
 * renewed each step); each partition checkpointed, so a killed sweep resumes at its first
 * partition not done, and what it re-reads there was written with its events in the outbox:
 * evaluated again at the same instant it changes nothing and only sends what was left.
 * In the quantile RFM mode the base is measured first and re-scored if the breakpoints
 * moved (recalibrate-rfm.use-case.ts): the one sweep that reads everything.
 */
@Injectable()
export class RunSweepUseCase {
  private readonly logger = new Logger('Sweep');

  constructor(
    private readonly records: SweepRecords,
    private readonly lock: SweepLock,
    private readonly dueIndex: DueIndex,
    private readonly judged: JudgedWrites,
    private readonly metrics: SweepMetrics,
    private readonly recalibrateRfm: RecalibrateRfmUseCase,
    private readonly config: SegmentationConfig,
    private readonly clock: Clock,
    private readonly derived: DerivedDataGate,
  ) {}

  /** Takes the lock and sweeps in the background (unfinished sweeps first); 409 while another sweep runs. */
  async start(asOf: string): Promise<SweepDoc> {
    const token = await this.lock.acquire();
    if (!token) throw new ConflictException({ title: 'a sweep is running', detail: 'one sweep at a time: try again when it has finished (GET /v1/sweeps/{id} shows its progress)' });
    let sweep: SweepDoc;
    try {
      sweep = await this.records.begin(new Date(asOf).toISOString(), this.dueIndex.partitions, this.clock.now().toISOString());
    } catch (error) {
      await this.lock.release(token);
      throw error;
    }
    void this.sweepAll(token).catch((error: Error) => this.logger.error(`sweep ${sweep._id} stopped (it resumes on the next start or sweep): ${error.message}`));
    return sweep;
  }

  /** The scheduler's occurrence: unfinished sweeps, then one at the clock's instant; skipped while another instance sweeps. */
  async runScheduled(): Promise<void> {
    // Recorded first: if another instance is sweeping, it finds this occurrence unfinished and sweeps it too.
    await this.records.begin(this.clock.now().toISOString(), this.dueIndex.partitions, this.clock.now().toISOString());
    const token = await this.lock.acquire();
    if (token) await this.sweepAll(token);
  }

  /**
   * At start: a sweep a crash left unfinished goes on — once the dead holder's lease ran
   * out, or when the instance that holds it has finished (then nothing is left to do).
   */
  async resumeUnfinished(stopping: () => boolean): Promise<void> {
    const pause = (this.config.SEGMENT_SWEEP_LOCK_SECONDS * 1_000) / 4;
    for (let attempt = 1; !stopping(); attempt++) {
      try {
        if (!(await this.records.unfinished()).length) return;
        const token = await this.lock.acquire();
        if (token) return await this.sweepAll(token);
      } catch (error) {
        // MongoDB or Redis not there yet (the service starts before them) or gone a while: try again.
        if (attempt > 1) this.logger.warn(`unfinished sweeps wait (${(error as Error).message}); trying again in ${pause} ms`);
      }
      await sleep(pause);
    }
  }

  progress(sweepId: string): Promise<SweepDoc | undefined> {
    return this.records.get(sweepId);
  }

  /** Every unfinished sweep, oldest first, then the lock goes. */
  private async sweepAll(token: string): Promise<void> {
    try {
      // Until none is left: a sweep recorded while these ran (a scheduled occurrence on another instance) is swept too.
      for (let left = await this.records.unfinished(); left.length; left = await this.records.unfinished()) {
        for (const sweep of left) await this.sweep(sweep, token);
      }
    } finally {
      await this.lock.release(token);
    }
  }

  private async sweep(sweep: SweepDoc, token: string): Promise<void> {
    const keepLease = async () => {
      if (!(await this.lock.renew(token))) throw new Error('the sweep lock lapsed (another instance holds it now)');
    };
    // The quantile mode's breakpoints first, so the due customers are judged on them.
    await this.recalibrateRfm.execute(sweep, keepLease);
    const done = new Set(sweep.partitionsDone);
    this.logger.log(`sweep ${sweep._id}: ${sweep.partitions - done.size} of ${sweep.partitions} partitions to go`);
    for (let partition = 0; partition < sweep.partitions; partition++) {
      if (done.has(partition)) continue;
      const added = await this.sweepPartition(sweep, partition, token, keepLease);
      await this.records.partitionDone(sweep._id, partition, added);
      done.add(partition);
      this.metrics.partitionsDone(done.size, sweep.partitions);
      this.logger.log(`sweep ${sweep._id}: partition ${partition} done (${added.read} due, ${added.evaluated} moved, ${added.published} events); ${done.size}/${sweep.partitions}`);
    }
    await this.records.finish(sweep._id, this.clock.now().toISOString());
    this.logger.log(`sweep ${sweep._id} finished`);
  }

  /**
   * A partition's due customers, a step at a time, read only while the due index is built: a
   * partition read while Redis had lost it (found empty) is swept again once it is rebuilt —
   * the marker seen at its end differs from the one at its start, or a write was refused.
   */
  private async sweepPartition(sweep: SweepDoc, partition: number, token: string, keepLease: () => Promise<void>): Promise<SweepProgress> {
    const built = () => this.derived.whenBuiltKeeping(() => this.lock.renew(token), (this.config.SEGMENT_SWEEP_LOCK_SECONDS * 1_000) / 4, 'sweep lock');
    for (;;) {
      const added: SweepProgress = { read: 0, evaluated: 0, published: 0 };
      const marker = await built();
      try {
        for (;;) {
          const ids = await this.dueIndex.due(partition, sweep.asOf, this.config.SEGMENT_SWEEP_BATCH);
          if (!ids.length) break;
          const { written, published } = await this.judged.run(ids, (doc, edition) => sweepCustomer(doc, sweep.asOf, edition));
          const step = { read: ids.length, evaluated: written.filter((w) => w.wrote).length, published };
          added.read += step.read;
          added.evaluated += step.evaluated;
          added.published += step.published;
          this.metrics.stepDone(step);
          await keepLease();
        }
      } catch (error) {
        if (error instanceof DerivedDataMissing) continue;
        throw error;
      }
      if ((await built()) === marker) return added;
      this.logger.warn(`sweep ${sweep._id}: partition ${partition} read while the derived data was rebuilt; sweeping it again`);
    }
  }
}

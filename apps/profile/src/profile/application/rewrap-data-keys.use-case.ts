import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { Clock } from '@meridian/shared';
import { ProfileConfig } from '../../config/profile.config';
import { RewrapCheckpoint, planRewrapBatch, recordRewrapBatch, resumeRewrap } from '../domain/rewrap-progress';
import { DataKeyRewrap } from './ports/data-key-rewrap.port';
import { RewrapRecords } from './ports/rewrap-records.port';

export interface RewrapRunControl {
  /** Asked between batches: true stops the run where its checkpoint says (shutdown); it resumes later. */
  shouldStop(): boolean;
  /** Each recorded checkpoint (progress metric). */
  onProgress(checkpoint: RewrapCheckpoint): void;
}

/**
 * The master key re-wrap (ADR 0008): walks every data key under the current master key's run,
 * a batch at a time — census, then re-wrap — recording a checkpoint after each batch, so a run
 * stopped or crashed resumes from its last checkpoint. When the walk is done no data key is
 * wrapped under another key, and the key record says so: a start without the previous keys passes.
 */
@Injectable()
export class RewrapDataKeysUseCase {
  constructor(
    private readonly dataKeys: DataKeyRewrap,
    private readonly records: RewrapRecords,
    private readonly config: ProfileConfig,
    private readonly clock: Clock,
  ) {}

  async execute(runId: string, control: RewrapRunControl): Promise<RewrapCheckpoint> {
    const target = this.dataKeys.currentKeyId();
    const batchSize = this.config.PROFILE_REWRAP_BATCH_SIZE;
    let checkpoint = resumeRewrap(await this.records.checkpoint(target), target, runId, this.now());
    await this.records.save(checkpoint);
    control.onProgress(checkpoint);
    if (!(await this.settled(control))) return checkpoint;
    while (checkpoint.phase !== 'done' && !control.shouldStop()) {
      const phase = checkpoint.phase;
      for await (const batch of this.dataKeys.walk(checkpoint.after, batchSize)) {
        checkpoint = await this.recordBatch(checkpoint, batch, batchSize);
        control.onProgress(checkpoint);
        if (checkpoint.phase !== phase || control.shouldStop()) break;
        if (this.config.PROFILE_REWRAP_PAUSE_MS) await sleep(this.config.PROFILE_REWRAP_PAUSE_MS);
      }
      // The walk ended on a full batch: the next, empty one ends the phase.
      if (checkpoint.phase === phase && !control.shouldStop()) {
        checkpoint = await this.recordBatch(checkpoint, [], batchSize);
        control.onProgress(checkpoint);
      }
    }
    if (checkpoint.phase === 'done') await this.records.retire(target, this.clock.now());
    return checkpoint;
  }

  /**
   * Waits until two KEY_RECHECK_SECONDS have passed since the rotation began: by then every
   * instance still on the old key has re-checked and stopped (libs/shared KeyCheckOnStart), so no
   * data key is wrapped under it after the walk passed its place. False when told to stop first.
   */
  private async settled(control: RewrapRunControl): Promise<boolean> {
    const began = await this.records.rotationBeganAt();
    if (!began) return true;
    const until = began.getTime() + 2 * this.config.KEY_RECHECK_SECONDS * 1000;
    while (this.clock.now().getTime() < until) {
      if (control.shouldStop()) return false;
      await sleep(Math.min(1_000, until - this.clock.now().getTime()));
    }
    return true;
  }

  private async recordBatch(checkpoint: RewrapCheckpoint, batch: Parameters<DataKeyRewrap['rewrap']>[0], batchSize: number): Promise<RewrapCheckpoint> {
    const plan = planRewrapBatch(checkpoint, batch, batchSize);
    const written = plan.rewrap.length ? await this.dataKeys.rewrap(plan.rewrap) : [];
    const next = recordRewrapBatch(checkpoint, batch, plan, written, this.now());
    await this.records.save(next);
    return next;
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}

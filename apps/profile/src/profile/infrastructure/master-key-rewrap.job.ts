import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap, ServiceUnavailableException } from '@nestjs/common';
import { KeyCheckOnStart, MetricsService } from '@meridian/shared';
import { Job, Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import { Gauge } from 'prom-client';
import { ProfileConfig } from '../../config/profile.config';
import { DataKeyRewrap } from '../application/ports/data-key-rewrap.port';
import { RewrapRecords, RewrapRuns } from '../application/ports/rewrap-records.port';
import { RewrapDataKeysUseCase } from '../application/rewrap-data-keys.use-case';
import { RewrapCheckpoint, rewrapProgress } from '../domain/rewrap-progress';

/** One run at a time per target key: BullMQ refuses a second job of the same id while one exists. */
const JOB_ID = 'rewrap';
/** A run is never given up: each attempt resumes the checkpoint, so retrying costs one batch at most. */
const NEVER_GIVE_UP = Number.MAX_SAFE_INTEGER;

/**
 * The master key re-wrap job (ADR 0008) on BullMQ: one queue per target key (the current master
 * key's id), one job id, so a run happens once across instances; the instance holding it renews
 * its lock, and when it dies the lock lapses and another instance — or the restarted one —
 * resumes the run from its checkpoint. Set up only once the key check passed (the key record
 * is then the data's). Progress per key id is the gauge `meridian_master_key_rewrap_data_keys`.
 */
@Injectable()
export class MasterKeyRewrapJob implements RewrapRuns, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('MasterKeyRewrapJob');
  private readonly gauge: Gauge<'key_id' | 'state'>;
  private connection?: Redis;
  private queue?: Queue;
  private worker?: Worker;
  private stopping = false;
  private ready?: Promise<void>;

  constructor(
    private readonly config: ProfileConfig,
    private readonly keyCheck: KeyCheckOnStart,
    private readonly dataKeys: DataKeyRewrap,
    private readonly records: RewrapRecords,
    private readonly rewrapDataKeys: RewrapDataKeysUseCase,
    metrics: MetricsService,
  ) {
    this.gauge = new Gauge({
      name: 'meridian_master_key_rewrap_data_keys',
      help: 'Data keys of the master key re-wrap run this instance holds, by the master key id they were under and state (rewrapped, remaining)',
      labelNames: ['key_id', 'state'],
      registers: [metrics.registry],
    });
  }

  onApplicationBootstrap(): void {
    this.ready = this.begin();
    // Not awaited: with Redis down at start-up the service still comes up; the job is set up when it answers.
    this.ready.catch((error: Error) => this.logger.warn(`re-wrap job not set up: ${error.message}`));
  }

  private async begin(): Promise<void> {
    await this.keyCheck.verified;
    if (this.stopping) return;
    const name = `profile-master-key-rewrap-${this.dataKeys.currentKeyId().slice(0, 16)}`;
    const prefix = `${this.config.redisPrefix}bull`;
    const lockMs = this.config.PROFILE_REWRAP_LOCK_SECONDS * 1000;
    // Workers block on Redis: their connection must retry without limit (BullMQ's requirement).
    this.connection = new Redis(this.config.REDIS_URL, { maxRetriesPerRequest: null });
    this.queue = new Queue(name, { connection: this.connection, prefix });
    this.worker = new Worker(name, (job) => this.run(job), {
      connection: this.connection,
      prefix,
      concurrency: 1,
      lockDuration: lockMs,
      stalledInterval: lockMs,
      maxStalledCount: NEVER_GIVE_UP,
    });
    this.worker.on('failed', (_job, error) => this.logger.warn(`re-wrap run paused (resumes in ${this.config.PROFILE_REWRAP_RETRY_SECONDS} s): ${error.message}`));
    this.worker.on('error', (error) => this.logger.warn(`re-wrap worker: ${error.message}`));
    const wanted = this.config.PROFILE_REWRAP_AUTO_START && this.dataKeys.previousKeyIds().length > 0 && (await this.records.stillWrapping()).length > 0;
    if (wanted) await this.request();
  }

  async request(): Promise<{ runId: string; started: boolean }> {
    if (!this.queue || this.stopping) throw new ServiceUnavailableException('the re-wrap job is not set up yet (the key check waits for MongoDB, the job for Redis) or the service is stopping: try again');
    const existing = await this.queue.getJob(JOB_ID);
    if (existing && !(await existing.isCompleted()) && !(await existing.isFailed())) return { runId: String(existing.timestamp), started: false };
    await this.queue.add(JOB_ID, {}, {
      jobId: JOB_ID,
      attempts: NEVER_GIVE_UP,
      backoff: { type: 'fixed', delay: this.config.PROFILE_REWRAP_RETRY_SECONDS * 1000 },
      removeOnComplete: true,
      removeOnFail: true,
    });
    // Another instance may have added it a moment before: answer the job as stored.
    const stored = await this.queue.getJob(JOB_ID);
    return { runId: String(stored?.timestamp ?? ''), started: true };
  }

  private async run(job: Job): Promise<string> {
    const checkpoint = await this.rewrapDataKeys.execute(String(job.timestamp), {
      shouldStop: () => this.stopping,
      onProgress: (cp) => this.report(cp),
    });
    if (checkpoint.phase !== 'done') throw new Error(`stopped in the ${checkpoint.phase} phase after ${checkpoint.after || 'the start'} (shutdown): the run resumes from its checkpoint`);
    this.logger.log(`master key re-wrap done: ${rewrapProgress(checkpoint).map((p) => `${p.rewrapped} data key(s) from ${p.keyId.slice(0, 12)}…`).join(', ') || 'no data key was under another key'}`);
    return checkpoint.finishedAt ?? '';
  }

  private report(checkpoint: RewrapCheckpoint): void {
    for (const p of rewrapProgress(checkpoint)) {
      this.gauge.set({ key_id: p.keyId, state: 'rewrapped' }, p.rewrapped);
      this.gauge.set({ key_id: p.keyId, state: 'remaining' }, p.remaining);
    }
  }

  /** Before the connections close: the run stops at its next batch and is left to resume (here after a restart, or on another instance). */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.ready?.catch(() => undefined);
    await this.worker?.close();
    await this.queue?.close();
    this.connection?.disconnect();
  }
}

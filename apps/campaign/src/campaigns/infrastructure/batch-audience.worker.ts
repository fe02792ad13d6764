import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Clock, JobWorker, STALLS_ALLOWED, delayJob } from '@meridian/shared';
import type { Job } from 'bullmq';
import { CampaignConfig } from '../../config/campaign.config';
import { CampaignCatalogue } from '../application/campaign-catalogue';
import { BatchSchedule } from '../application/ports/batch-runs.port';
import { RunBatchAudienceUseCase } from '../application/run-batch-audience.use-case';
import { BATCH_QUEUE, BatchJobData } from './batch-audience-queue';
import { PAUSED_RECHECK_MS } from '../domain/durations';

/**
 * Runs the scheduled campaigns' batch runs, one at a time an instance (a run is a whole base);
 * a paused campaign's run waits (looking again every minute) and resumes where it stopped. At
 * start every ACTIVE scheduled campaign's run is scheduled again (one job a run: nothing twice),
 * so a run whose job Redis lost still happens.
 */
@Injectable()
export class BatchAudienceWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('BatchAudienceWorker');
  private readonly worker: JobWorker<BatchJobData>;
  private stopping = false;

  constructor(
    config: CampaignConfig,
    private readonly run: RunBatchAudienceUseCase,
    private readonly catalogue: CampaignCatalogue,
    private readonly schedule: BatchSchedule,
    private readonly clock: Clock,
  ) {
    this.worker = new JobWorker<BatchJobData>(BATCH_QUEUE, (job, token) => this.process(job, token), { redisUrl: config.REDIS_URL, prefix: config.redisPrefix, concurrency: 1, what: 'batch run', maxStalledCount: STALLS_ALLOWED });
  }

  onApplicationBootstrap(): void {
    this.worker.start();
    void this.scheduleActive().catch((error: Error) => this.logger.warn(`scheduled campaigns not re-scheduled at start: ${error.message}`));
  }

  private async scheduleActive(): Promise<void> {
    await this.catalogue.ready();
    for (const c of this.catalogue.all()) {
      const t = c.stored.definition.trigger;
      if (t.kind === 'SCHEDULED' && c.stored.status === 'ACTIVE') await this.schedule.schedule(c.stored.campaignId, t.at);
    }
  }

  private async process(job: Job<BatchJobData>, token?: string): Promise<string> {
    const result = await this.run.execute(job.data.campaignId, job.data.runAt, () => this.stopping);
    if (result === 'PAUSED') return delayJob(job, this.clock.now().getTime() + PAUSED_RECHECK_MS, token);
    // Shutting down: the run goes back to the queue between two steps, for whichever instance is up.
    if (result === 'STOPPING') return delayJob(job, this.clock.now().getTime(), token);
    return result;
  }

  beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    return this.worker.close();
  }
}

import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Clock, JobQueue } from '@meridian/shared';
import { CampaignConfig } from '../../config/campaign.config';
import { BatchSchedule } from '../application/ports/batch-runs.port';

export const BATCH_QUEUE = 'campaign-batch-audiences';

export interface BatchJobData {
  campaignId: string;
  runAt: string;
}

/**
 * A scheduled campaign's run as a BullMQ delayed job at its instant (`<prefix>bull:campaign-batch-audiences`),
 * one per campaign and instant; a run whose instant has passed starts at once. Retried (resumed)
 * at growing intervals while storage is away; a stalled one (its instance died) is taken over by another.
 */
@Injectable()
export class BatchAudienceQueue implements BatchSchedule, OnApplicationShutdown {
  private readonly jobs: JobQueue<BatchJobData>;

  constructor(
    config: CampaignConfig,
    private readonly clock: Clock,
  ) {
    this.jobs = new JobQueue<BatchJobData>(BATCH_QUEUE, { redisUrl: config.REDIS_URL, prefix: config.redisPrefix });
  }

  async schedule(campaignId: string, runAt: string): Promise<void> {
    const at = Date.parse(runAt);
    await this.jobs.queue.add('run', { campaignId, runAt }, { jobId: `batch.${campaignId}.${at}`, delay: Math.max(0, at - this.clock.now().getTime()), attempts: 24 * 60, backoff: { type: 'capped' }, removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600 } });
  }

  onApplicationShutdown(): Promise<void> {
    return this.jobs.close();
  }
}

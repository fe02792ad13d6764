import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Clock, JobWorker, delayJob } from '@meridian/shared';
import type { Job } from 'bullmq';
import { CampaignConfig } from '../../config/campaign.config';
import { CampaignCatalogue } from '../application/campaign-catalogue';
import { DecideTriggersUseCase } from '../application/decide-triggers.use-case';
import { POSTPONED_QUEUE, PostponedJobData } from './postponed-decision-queue';
import { PAUSED_RECHECK_MS } from '../domain/durations';

/**
 * Takes postponed decisions again at their window's end, and decisions waiting for their
 * profile, on whichever instance is up (the jobs live in Redis). A paused campaign's message
 * waits for it (the job looks again every minute); one still quiet is re-timed to its new
 * window's end under the same job; one whose profile has still not come retries, at growing
 * intervals; a campaign that ended meanwhile publishes its postponement again and lets it go.
 */
@Injectable()
export class PostponedDecisionWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('PostponedDecisionWorker');
  private readonly worker: JobWorker<PostponedJobData>;

  constructor(
    config: CampaignConfig,
    private readonly decide: DecideTriggersUseCase,
    private readonly catalogue: CampaignCatalogue,
    private readonly clock: Clock,
  ) {
    this.worker = new JobWorker<PostponedJobData>(POSTPONED_QUEUE, (job, token) => this.run(job, token), { redisUrl: config.REDIS_URL, prefix: config.redisPrefix, concurrency: config.CAMPAIGN_POSTPONED_CONCURRENCY, what: 'postponed decision' });
  }

  onApplicationBootstrap(): void {
    this.worker.start();
  }

  private async run(job: Job<PostponedJobData>, token?: string): Promise<string> {
    const { campaignId, trigger } = job.data;
    const now = this.clock.now().getTime();
    await this.catalogue.ready();
    if (this.catalogue.get(campaignId)?.stored.status === 'PAUSED') return delayJob(job, now + PAUSED_RECHECK_MS, token);
    const [result] = await this.decide.execute([trigger], { only: campaignId });
    if (!result) return 'NO_CAMPAIGN';
    if ('waiting' in result) throw new Error(`profile version ${trigger.profileVersion} of ${trigger.customerId} not kept yet`);
    if ('idle' in result) return 'IDLE';
    const o = result.outcome;
    if (o.kind === 'POSTPONED' && Date.parse(o.until) > now) return delayJob(job, Date.parse(o.until), token);
    if (o.kind === 'POSTPONED') this.logger.warn(`postponed message ${o.messageId} of ${campaignId} lapsed: the campaign ended before its window did`);
    return o.kind;
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.worker.close();
  }
}

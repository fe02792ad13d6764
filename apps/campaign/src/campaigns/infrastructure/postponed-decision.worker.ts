import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Clock, cappedRetryDelay } from '@meridian/shared';
import { DelayedError, Job, Worker } from 'bullmq';
import Redis from 'ioredis';
import { CampaignConfig } from '../../config/campaign.config';
import { CampaignCatalogue } from '../application/campaign-catalogue';
import { DecideTriggersUseCase } from '../application/decide-triggers.use-case';
import { POSTPONED_QUEUE, PostponedJobData } from './postponed-decision-queue';

/** How long a postponed message of a paused campaign waits before it looks again. */
const PAUSED_RECHECK_MS = 60_000;

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
  private connection?: Redis;
  private worker?: Worker<PostponedJobData>;

  constructor(
    private readonly config: CampaignConfig,
    private readonly decide: DecideTriggersUseCase,
    private readonly catalogue: CampaignCatalogue,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    // A worker blocks on Redis: its connection retries without limit (BullMQ's requirement).
    this.connection = new Redis(this.config.REDIS_URL, { maxRetriesPerRequest: null });
    this.worker = new Worker<PostponedJobData>(POSTPONED_QUEUE, (job, token) => this.run(job, token), {
      connection: this.connection,
      prefix: `${this.config.redisPrefix}bull`,
      concurrency: this.config.CAMPAIGN_POSTPONED_CONCURRENCY,
      settings: { backoffStrategy: (attemptsMade) => cappedRetryDelay(attemptsMade) },
    });
    this.worker.on('failed', (job, error) => this.logger.warn(`postponed decision ${job?.id ?? '?'} failed (attempt ${job?.attemptsMade ?? '?'}): ${error.message}`));
    this.worker.on('error', (error) => this.logger.warn(`postponed decisions worker: ${error.message}`));
  }

  private async run(job: Job<PostponedJobData>, token?: string): Promise<string> {
    const { campaignId, trigger } = job.data;
    const now = this.clock.now().getTime();
    await this.catalogue.ready();
    if (this.catalogue.get(campaignId)?.stored.status === 'PAUSED') return this.delay(job, now + PAUSED_RECHECK_MS, token);
    const [result] = await this.decide.execute([trigger], { only: campaignId });
    if (!result) return 'NO_CAMPAIGN';
    if ('waiting' in result) throw new Error(`profile version ${trigger.profileVersion} of ${trigger.customerId} not kept yet`);
    if ('idle' in result) return 'IDLE';
    const o = result.outcome;
    if (o.kind === 'POSTPONED' && Date.parse(o.until) > now) return this.delay(job, Date.parse(o.until), token);
    if (o.kind === 'POSTPONED') this.logger.warn(`postponed message ${o.messageId} of ${campaignId} lapsed: the campaign ended before its window did`);
    return o.kind;
  }

  private async delay(job: Job<PostponedJobData>, until: number, token?: string): Promise<never> {
    await job.moveToDelayed(until, token);
    throw new DelayedError();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    this.connection?.disconnect();
  }
}

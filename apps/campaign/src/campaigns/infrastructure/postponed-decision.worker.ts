import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job, Worker } from 'bullmq';
import Redis from 'ioredis';
import { CampaignConfig } from '../../config/campaign.config';
import { DecideTriggersUseCase } from '../application/decide-triggers.use-case';
import { POSTPONED_QUEUE, PostponedJobData } from './postponed-decision-queue';

/** Takes postponed decisions again at their window's end, on whichever instance is up (the jobs live in Redis). */
@Injectable()
export class PostponedDecisionWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('PostponedDecisionWorker');
  private connection?: Redis;
  private worker?: Worker<PostponedJobData>;

  constructor(
    private readonly config: CampaignConfig,
    private readonly decide: DecideTriggersUseCase,
  ) {}

  onApplicationBootstrap(): void {
    // A worker blocks on Redis: its connection retries without limit (BullMQ's requirement).
    this.connection = new Redis(this.config.REDIS_URL, { maxRetriesPerRequest: null });
    this.worker = new Worker<PostponedJobData>(POSTPONED_QUEUE, (job) => this.run(job), {
      connection: this.connection,
      prefix: `${this.config.redisPrefix}bull`,
      concurrency: this.config.CAMPAIGN_POSTPONED_CONCURRENCY,
    });
    this.worker.on('failed', (job, error) => this.logger.warn(`postponed decision ${job?.id ?? '?'} failed (attempt ${job?.attemptsMade ?? '?'}): ${error.message}`));
    this.worker.on('error', (error) => this.logger.warn(`postponed decisions worker: ${error.message}`));
  }

  private async run(job: Job<PostponedJobData>): Promise<string> {
    const outcomes = await this.decide.execute([job.data.trigger], { campaignId: job.data.campaignId });
    return outcomes.map((o) => o.kind).join(',') || 'IDLE';
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    this.connection?.disconnect();
  }
}

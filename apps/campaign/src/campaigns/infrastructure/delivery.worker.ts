import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { JobWorker, cappedRetryDelay } from '@meridian/shared';
import type { Job } from 'bullmq';
import { CampaignConfig } from '../../config/campaign.config';
import { DeliverMessageUseCase } from '../application/deliver-message.use-case';
import type { OutboundMessage } from '../domain/delivery';
import { DELIVERY_QUEUE } from './delivery-queue';

/**
 * Hands the queued messages to their channels on whichever instance is up (the jobs live in
 * Redis): attempt n + 1 waits CAMPAIGN_DELIVERY_BACKOFF_MS × 2ⁿ⁻¹ (capped at an hour), up to
 * CAMPAIGN_DELIVERY_ATTEMPTS; the last one's failure is reported, and a report that could not go
 * out is retried on its own, at most a minute apart.
 */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly worker: JobWorker<OutboundMessage>;

  constructor(
    private readonly config: CampaignConfig,
    private readonly deliver: DeliverMessageUseCase,
  ) {
    const attempts = config.CAMPAIGN_DELIVERY_ATTEMPTS;
    const base = config.CAMPAIGN_DELIVERY_BACKOFF_MS;
    this.worker = new JobWorker<OutboundMessage>(DELIVERY_QUEUE, (job) => this.run(job), {
      redisUrl: config.REDIS_URL,
      prefix: config.redisPrefix,
      concurrency: config.CAMPAIGN_DELIVERY_CONCURRENCY,
      backoff: (made) => (made < attempts ? Math.min(3_600_000, base * 2 ** Math.min(made - 1, 30)) : cappedRetryDelay(made - attempts + 1)),
      what: 'delivery',
    });
  }

  onApplicationBootstrap(): void {
    this.worker.start();
  }

  private run(job: Job<OutboundMessage>): Promise<string> {
    const number = job.attemptsMade + 1;
    const attempts = this.config.CAMPAIGN_DELIVERY_ATTEMPTS;
    return this.deliver.execute(job.data, { number: Math.min(number, attempts), last: number >= attempts });
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.worker.close();
  }
}

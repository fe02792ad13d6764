import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { JobWorker, STALLS_ALLOWED, cappedRetryDelay, delayJob } from '@meridian/shared';
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
    this.worker = new JobWorker<OutboundMessage>(DELIVERY_QUEUE, (job, token) => this.run(job, token), {
      redisUrl: config.REDIS_URL,
      prefix: config.redisPrefix,
      concurrency: config.CAMPAIGN_DELIVERY_CONCURRENCY,
      backoff: (made) => (made < attempts ? Math.min(3_600_000, base * 2 ** Math.min(made - 1, 30)) : cappedRetryDelay(made - attempts + 1)),
      what: 'delivery',
      // A job whose instance died (a deploy, a crash) is taken over, however often: it is never failed unseen.
      maxStalledCount: STALLS_ALLOWED,
    });
  }

  onApplicationBootstrap(): void {
    this.worker.start();
  }

  private async run(job: Job<OutboundMessage>, token?: string): Promise<string> {
    const number = job.attemptsMade + 1;
    const attempts = this.config.CAMPAIGN_DELIVERY_ATTEMPTS;
    const result = await this.deliver.execute(job.data, { number: Math.min(number, attempts), last: number >= attempts });
    // Paused, quiet hours, an open circuit: the job waits under its id, spending no attempt.
    if (typeof result === 'object') return delayJob(job, result.waitUntil, token);
    return result;
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.worker.close();
  }
}

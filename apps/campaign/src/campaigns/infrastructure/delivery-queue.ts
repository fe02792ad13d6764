import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { JobQueue } from '@meridian/shared';
import type { JobsOptions } from 'bullmq';
import { CampaignConfig } from '../../config/campaign.config';
import { DeliveryQueue } from '../application/ports/delivery-queue.port';
import type { OutboundMessage } from '../domain/delivery';

export const DELIVERY_QUEUE = 'campaign-deliveries';
export const DELIVERY_JOB = 'deliver';

/**
 * Attempts past the hand-over's own, spent only on reporting a final failure (Kafka away when the
 * last attempt failed): the report is never lost, and the message is not handed over again.
 */
export const REPORT_ATTEMPTS = 24 * 60;

/** A message's hand-over job: one per message id (':' is refused in BullMQ ids; message ids are base64url). */
export const deliveryJobId = (messageId: string) => `dlv.${messageId}`;

/**
 * A hand-over retried at growing intervals (the worker's backoff), then reported; a finished job
 * is dropped (the message's `dispatched` mark answers a second request), a failed one — only
 * when even its report could not go out for a day — kept a month for an operator to retry.
 */
export const deliveryJobOptions = (config: CampaignConfig): JobsOptions => ({
  attempts: config.CAMPAIGN_DELIVERY_ATTEMPTS + REPORT_ATTEMPTS,
  backoff: { type: 'delivery' },
  removeOnComplete: true,
  removeOnFail: { age: 30 * 24 * 3600 },
});

/** Requested messages as BullMQ jobs (`<prefix>bull:campaign-deliveries`). */
@Injectable()
export class BullDeliveryQueue implements DeliveryQueue, OnApplicationShutdown {
  private readonly options: JobsOptions;
  private readonly jobs: JobQueue<OutboundMessage>;

  constructor(config: CampaignConfig) {
    this.jobs = new JobQueue<OutboundMessage>(DELIVERY_QUEUE, { redisUrl: config.REDIS_URL, prefix: config.redisPrefix });
    this.options = deliveryJobOptions(config);
  }

  async enqueue(messages: readonly OutboundMessage[]): Promise<void> {
    if (!messages.length) return;
    await this.jobs.queue.addBulk(messages.map((m) => ({ name: DELIVERY_JOB, data: m, opts: { ...this.options, jobId: deliveryJobId(m.messageId) } })));
  }

  onApplicationShutdown(): Promise<void> {
    return this.jobs.close();
  }
}

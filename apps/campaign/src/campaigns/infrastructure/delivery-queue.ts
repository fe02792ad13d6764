import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createRedis } from '@meridian/shared';
import { JobsOptions, Queue } from 'bullmq';
import type Redis from 'ioredis';
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
  private readonly connection: Redis;
  private readonly options: JobsOptions;
  readonly queue: Queue<OutboundMessage>;

  constructor(config: CampaignConfig) {
    this.connection = createRedis(config.REDIS_URL);
    this.queue = new Queue<OutboundMessage>(DELIVERY_QUEUE, { connection: this.connection, prefix: `${config.redisPrefix}bull` });
    this.options = deliveryJobOptions(config);
  }

  async enqueue(messages: readonly OutboundMessage[]): Promise<void> {
    if (!messages.length) return;
    await this.queue.addBulk(messages.map((m) => ({ name: DELIVERY_JOB, data: m, opts: { ...this.options, jobId: deliveryJobId(m.messageId) } })));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
    this.connection.disconnect();
  }
}

import { Injectable, Logger } from '@nestjs/common';
import { CampaignMessageRequested, EventEnvelope } from '@meridian/events';
import { Clock } from '@meridian/shared';
import { CampaignConfig } from '../../config/campaign.config';
import { DeliveryQueue } from './ports/delivery-queue.port';
import { HOUR_MS } from '../domain/durations';

/**
 * crm.campaign.v1's CampaignMessageRequested, read back by campaign itself (issue 12, point 4):
 * each TREATMENT message queued for its channel, once per message id — the event on the bus is
 * the request, so a crash between the decision and the hand-over loses nothing (the record is
 * read again), and a redelivered one queues nothing twice (its job, or the message's mark,
 * answers it). One older than CAMPAIGN_DELIVERY_MAX_AGE_HOURS is queued too, and given up on at
 * its hand-over — reported EXPIRED unless it went out before: never dropped unseen.
 */
@Injectable()
export class QueueDeliveriesUseCase {
  private readonly logger = new Logger('QueueDeliveries');

  constructor(
    private readonly queue: DeliveryQueue,
    private readonly config: CampaignConfig,
    private readonly clock: Clock,
  ) {}

  async execute(requested: readonly EventEnvelope<CampaignMessageRequested>[]): Promise<void> {
    const treated = requested.filter((e) => e.payload.variant === 'TREATMENT');
    const oldest = this.clock.now().getTime() - this.config.CAMPAIGN_DELIVERY_MAX_AGE_HOURS * HOUR_MS;
    const old = treated.filter((e) => Date.parse(e.occurredAt) < oldest).length;
    if (old) this.logger.warn(`${old} requests older than ${this.config.CAMPAIGN_DELIVERY_MAX_AGE_HOURS} h queued: each one not handed over before is reported EXPIRED (a replay of crm.campaign.v1, or a consumer that fell behind)`);
    await this.queue.enqueue(treated.map(({ payload: p, occurredAt }) => ({ messageId: p.messageId, campaignId: p.campaignId, customerId: p.customerId, channel: p.channel, templateId: p.templateId, content: p.content, requestedAt: occurredAt })));
  }
}

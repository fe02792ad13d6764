import { Injectable } from '@nestjs/common';
import { CampaignMessageRequested, EventEnvelope } from '@meridian/events';
import { DeliveryQueue } from './ports/delivery-queue.port';

/**
 * crm.campaign.v1's CampaignMessageRequested, read back by campaign itself (issue 12, point 4):
 * each TREATMENT message queued for its channel, once per message id — the event on the bus is
 * the request, so a crash between the decision and the hand-over loses nothing (the record is
 * read again), and a redelivered one queues nothing twice.
 */
@Injectable()
export class QueueDeliveriesUseCase {
  constructor(private readonly queue: DeliveryQueue) {}

  async execute(requested: readonly EventEnvelope<CampaignMessageRequested>[]): Promise<void> {
    await this.queue.enqueue(
      requested
        .filter((e) => e.payload.variant === 'TREATMENT')
        .map(({ payload: p, occurredAt }) => ({ messageId: p.messageId, campaignId: p.campaignId, customerId: p.customerId, channel: p.channel, templateId: p.templateId, content: p.content, requestedAt: occurredAt })),
    );
  }
}

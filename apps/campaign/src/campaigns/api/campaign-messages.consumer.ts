import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { CampaignMessageRequested, TOPICS } from '@meridian/events';
import { BatchEventPattern, BatchOutcome, BatchRecord, ofType } from '@meridian/events/kafka';
import { QueueDeliveriesUseCase } from '../application/queue-deliveries.use-case';

/** crm.campaign.v1, campaign's own: each CampaignMessageRequested queued for its channel (the rest of the topic is for others). */
@Controller()
export class CampaignMessagesConsumer {
  constructor(private readonly deliveries: QueueDeliveriesUseCase) {}

  @BatchEventPattern([TOPICS.campaign])
  async onCampaignEvents(@Payload() records: BatchRecord[]): Promise<BatchOutcome[]> {
    const { envelopes, outcomes } = ofType<CampaignMessageRequested>(records, 'CampaignMessageRequested');
    if (envelopes.length) await this.deliveries.execute(envelopes);
    return outcomes;
  }
}

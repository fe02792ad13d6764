import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { CampaignMessageRequested, TOPICS } from '@meridian/events';
import { BatchEventPattern, BatchOutcome, BatchRecord, ofType } from '@meridian/events/kafka';
import { QueueDeliveriesUseCase } from '../application/queue-deliveries.use-case';

/** The event types this consumer takes: the topic's others are passed over undecoded. */
const TAKES = ['CampaignMessageRequested'];

/** crm.campaign.v1, campaign's own: each CampaignMessageRequested queued for its channel (the rest of the topic is for others). */
@Controller()
export class CampaignMessagesConsumer {
  constructor(private readonly deliveries: QueueDeliveriesUseCase) {}

  @BatchEventPattern([TOPICS.campaign], { types: TAKES })
  async onCampaignEvents(@Payload() records: BatchRecord[]): Promise<BatchOutcome[]> {
    const { envelopes, outcomes } = ofType<CampaignMessageRequested>(records, ...TAKES);
    if (envelopes.length) await this.deliveries.execute(envelopes);
    return outcomes;
  }
}

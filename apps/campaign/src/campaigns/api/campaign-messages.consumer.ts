import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { CampaignMessageRequested, ConversionAttributed, TOPICS } from '@meridian/events';
import { BatchEventPattern, BatchOutcome, BatchRecord, ofType } from '@meridian/events/kafka';
import { AwardPointsUseCase } from '../../loyalty/application/award-points.use-case';
import { QueueDeliveriesUseCase } from '../application/queue-deliveries.use-case';

/** The event types this consumer takes: the topic's others are passed over undecoded. */
const TAKES = ['CampaignMessageRequested', 'ConversionAttributed'];

/**
 * crm.campaign.v1, campaign's own: each CampaignMessageRequested queued for its channel, and each
 * ConversionAttributed's goal points (issue 13, point 4: once a converted message); the rest of the
 * topic is for others.
 */
@Controller()
export class CampaignMessagesConsumer {
  constructor(
    private readonly deliveries: QueueDeliveriesUseCase,
    private readonly points: AwardPointsUseCase,
  ) {}

  @BatchEventPattern([TOPICS.campaign], { types: TAKES })
  async onCampaignEvents(@Payload() records: BatchRecord[]): Promise<BatchOutcome[]> {
    const { envelopes, outcomes } = ofType<CampaignMessageRequested | ConversionAttributed>(records, ...TAKES);
    const requests = envelopes.filter((e): e is typeof e & { payload: CampaignMessageRequested } => e.type === 'CampaignMessageRequested');
    const conversions = envelopes.filter((e): e is typeof e & { payload: ConversionAttributed } => e.type === 'ConversionAttributed');
    if (requests.length) await this.deliveries.execute(requests);
    if (conversions.length) await this.points.execute(conversions.map((e) => ({ kind: 'CAMPAIGN_GOAL', customerId: e.payload.customerId, messageId: e.payload.messageId, at: e.occurredAt })));
    return outcomes;
  }
}

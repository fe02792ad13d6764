import { Injectable } from '@nestjs/common';
import { EventEnvelope, InteractionKind, InteractionRecorded, marketingChannelOf } from '@meridian/events';
import { CustomerContacts, OptOut } from '../../customers/application/ports/customer-contacts.port';
import { MessageResponse, ResponseCounters } from './ports/response-counters.port';

const RESPONSES: Partial<Record<InteractionKind, MessageResponse['kind']>> = { CAMPAIGN_DELIVERED: 'delivered', CAMPAIGN_OPENED: 'opened', CAMPAIGN_CLICKED: 'clicked', CAMPAIGN_OPTED_OUT: 'optedOut' };

/**
 * crm.interaction.v1 at campaign (issue 12, point 5): the channels' reports on its messages —
 * delivered, opened, clicked, opted out — counted once each on the funnel; an opt-out also stops
 * all marketing on the channel it came on, whatever message (if any) it answered.
 */
@Injectable()
export class RecordResponsesUseCase {
  constructor(
    private readonly counters: ResponseCounters,
    private readonly contacts: CustomerContacts,
  ) {}

  async execute(interactions: readonly EventEnvelope<InteractionRecorded>[]): Promise<void> {
    const responses: MessageResponse[] = [];
    const optOuts: OptOut[] = [];
    for (const e of interactions) {
      const kind = RESPONSES[e.payload.kind];
      if (!kind) continue;
      if (e.payload.campaignId && e.payload.messageId) responses.push({ campaignId: e.payload.campaignId, messageId: e.payload.messageId, kind });
      const channel = marketingChannelOf(e.payload.channel);
      if (kind === 'optedOut' && channel && e.customerId) optOuts.push({ customerId: e.customerId, channel, at: e.occurredAt });
    }
    await Promise.all([this.contacts.recordOptOuts(optOuts), this.counters.record(responses)]);
  }
}

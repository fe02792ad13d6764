import { TOPICS } from '@meridian/events';
import { EventPublisher, newEnvelope } from '@meridian/events/kafka';
import type { Clock } from '@meridian/shared';
import { CustomerRecords } from '../../customers/application/ports/customer-records.port';
import { CampaignCatalogue } from '../application/campaign-catalogue';
import { ChannelGateway } from '../application/ports/channel-gateway.port';
import type { CampaignRules } from '../domain/campaign-rules';
import { OutboundMessage, rmTaskOf } from '../domain/delivery';

/**
 * The RM_TASK adapter (issue 12, point 4): a `phone` message becomes a task in the customer's
 * RM's work list — RmTaskCreated on crm.campaign.v1, under an event id of the message (a
 * hand-over tried again is the same task) — due by DOMAIN.md's rule (rmTaskOf). The RM's call
 * counts against the customer's caps: the message took its slot when it was decided.
 */
export class RmTaskGateway extends ChannelGateway {
  constructor(
    private readonly customers: CustomerRecords,
    private readonly catalogue: CampaignCatalogue,
    private readonly publisher: EventPublisher,
    private readonly rules: () => CampaignRules,
    private readonly clock: Clock,
  ) {
    super();
  }

  async deliver(message: OutboundMessage): Promise<void> {
    const record = (await this.customers.get([message.customerId])).get(message.customerId);
    await this.catalogue.ready();
    const name = this.catalogue.get(message.campaignId)?.stored.definition.name ?? message.campaignId;
    const task = rmTaskOf(message, { rmId: record?.features?.rmId, tier: record?.derived.tier?.value }, name, this.rules());
    await this.publisher.publish(TOPICS.campaign, newEnvelope('RmTaskCreated', { customerId: message.customerId, ...task }, { eventId: `${message.messageId}.rm-task`, source: 'meridian-campaign', customerId: message.customerId, occurredAt: this.clock.now().toISOString() }));
  }
}

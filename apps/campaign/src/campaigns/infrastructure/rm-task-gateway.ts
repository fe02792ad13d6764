import type { RmTaskChanges } from '../../leads/application/rm-task-changes';
import { CustomerRecords } from '../../customers/application/ports/customer-records.port';
import { CampaignCatalogue } from '../application/campaign-catalogue';
import { ChannelGateway } from '../application/ports/channel-gateway.port';
import type { CampaignRules } from '../domain/campaign-rules';
import { OutboundMessage, rmTaskOf } from '../domain/delivery';

/** Where a campaign's call stands among tasks due at the same time: between a weak lead's and a strong one's. */
const CAMPAIGN_CALL_SCORE = 50;

/**
 * The RM_TASK adapter (issue 12, point 4): a `phone` message becomes a task in the customer's
 * RM's work list (issue 13, point 3) and RmTaskCreated on crm.campaign.v1, under an event id of the
 * message (a hand-over tried again is the same task) — due by DOMAIN.md's rule (rmTaskOf). The RM's
 * call counts against the customer's caps: the message took its slot when it was decided; their
 * outcome counts on the campaign's funnel.
 */
export class RmTaskGateway extends ChannelGateway {
  constructor(
    private readonly customers: CustomerRecords,
    private readonly catalogue: CampaignCatalogue,
    private readonly tasks: RmTaskChanges,
    private readonly rules: () => CampaignRules,
  ) {
    super();
  }

  async deliver(message: OutboundMessage): Promise<void> {
    const record = (await this.customers.get([message.customerId])).get(message.customerId);
    await this.catalogue.ready();
    const name = this.catalogue.get(message.campaignId)?.stored.definition.name ?? message.campaignId;
    const task = rmTaskOf(message, { rmId: record?.features?.rmId, tier: record?.derived.tier?.value }, name, this.rules());
    await this.tasks.create({ ...task, customerId: message.customerId, score: CAMPAIGN_CALL_SCORE, status: 'OPEN', createdAt: message.requestedAt, campaignId: message.campaignId, messageId: message.messageId, attempts: 0 });
  }
}

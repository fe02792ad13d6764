import { Injectable } from '@nestjs/common';
import { TOPICS } from '@meridian/events';
import { EventPublisher, OutgoingEvent, newEnvelope } from '@meridian/events/kafka';
import { Clock } from '@meridian/shared';
import { CampaignConfig } from '../../config/campaign.config';
import { CustomerRecords } from '../../customers/application/ports/customer-records.port';
import { CustomerContacts } from '../../customers/application/ports/customer-contacts.port';
import { factsOf } from '../../customers/domain/customer-facts';
import { messageIdFor } from '../domain/message-id';
import { planMessage } from '../domain/message-plan';
import type { TriggerEvent } from '../domain/trigger-event';
import { CampaignCatalogue } from './campaign-catalogue';
import { DecisionLedger, LedgerEntry, LedgerOutcome } from './ports/decision-ledger.port';
import { Postponements } from './ports/postponements.port';

const SOURCE = 'meridian-campaign';

/**
 * Issue 12, point 2: each trigger decided for every ACTIVE campaign it sets off, within the
 * batch it arrived in — the plan (DOMAIN.md's order up to the open service case) from what is
 * kept of the customer, then the ledger (caps, quiet hours, budget, control) in one atomic step
 * per message, then the outcome published (CampaignMessageRequested or Suppressed with its
 * reason) and a postponement scheduled. Keyed by campaign, customer and trigger: a redelivered
 * trigger finds its first outcome and publishes it again under the same event id.
 */
@Injectable()
export class DecideTriggersUseCase {
  constructor(
    private readonly catalogue: CampaignCatalogue,
    private readonly customers: CustomerRecords,
    private readonly contacts: CustomerContacts,
    private readonly ledger: DecisionLedger,
    private readonly postponements: Postponements,
    private readonly publisher: EventPublisher,
    private readonly config: CampaignConfig,
    private readonly clock: Clock,
  ) {}

  /** `only`: a postponed decision taken again, for that campaign alone. */
  async execute(triggers: readonly TriggerEvent[], only?: { campaignId: string }): Promise<LedgerOutcome[]> {
    const pairs = triggers.flatMap((trigger) => {
      const campaigns = only ? [this.catalogue.get(only.campaignId)].filter((c) => c !== undefined) : this.catalogue.matching(trigger);
      return campaigns.map((campaign) => ({ trigger, campaign }));
    });
    if (!pairs.length) return [];
    const ids = [...new Set(pairs.map((p) => p.trigger.customerId))];
    const [records, holds] = await Promise.all([this.customers.get(ids), this.contacts.holdsOf(ids)]);
    const rules = this.config.rules;
    const now = this.clock.now();
    const decided = pairs.flatMap(({ trigger, campaign }) => {
      const plan = planMessage({ campaign, customerId: trigger.customerId, facts: factsOf(records.get(trigger.customerId)), now: now.toISOString(), ...(holds.get(trigger.customerId) ?? { openServiceCase: false, optedOut: [] }) }, rules);
      if (plan.kind === 'IDLE') return [];
      const campaignId = campaign.stored.campaignId;
      const entry: LedgerEntry = { campaignId, customerId: trigger.customerId, messageId: messageIdFor(campaignId, trigger.customerId, trigger.triggerId), plan, customerCap: rules.customerCap, budgetMinor: campaign.stored.definition.budgetMinor, now, retry: only !== undefined };
      return [{ trigger, entry }];
    });
    const outcomes = await this.ledger.settle(decided.map((d) => d.entry));
    await this.publisher.publishAll(outcomes.map((o, i) => this.eventOf(o, decided[i].entry, decided[i].trigger)));
    await this.postponements.postpone(outcomes.flatMap((o, i) => (o.kind === 'POSTPONED' ? [{ messageId: o.messageId, campaignId: decided[i].entry.campaignId, trigger: decided[i].trigger, until: o.until }] : [])));
    return outcomes;
  }

  private eventOf(o: LedgerOutcome, entry: LedgerEntry, trigger: TriggerEvent): OutgoingEvent {
    const base = { customerId: entry.customerId, campaignId: entry.campaignId, messageId: o.messageId };
    const options = (suffix: string) => ({ eventId: `${o.messageId}.${suffix}`, source: SOURCE, customerId: entry.customerId, occurredAt: entry.now.toISOString(), causationId: trigger.triggerId });
    if (o.kind === 'SENT') {
      return { topic: TOPICS.campaign, envelope: newEnvelope('CampaignMessageRequested', { ...base, channel: o.channel, templateId: o.templateId, content: o.content, variant: 'TREATMENT' }, options('requested')) };
    }
    const reason = o.kind === 'SUPPRESSED' ? o.reason : o.kind === 'POSTPONED' ? 'QUIET_HOURS' : 'CONTROL_GROUP';
    const payload = { ...base, reason, ...(o.kind === 'POSTPONED' && { postponedUntil: o.until }) };
    return { topic: TOPICS.campaign, envelope: newEnvelope('CampaignMessageSuppressed', payload, options(o.kind === 'POSTPONED' ? `postponed.${Date.parse(o.until)}` : `suppressed.${reason}`)) };
  }
}

import { Injectable } from '@nestjs/common';
import { EventPublisher } from '@meridian/events/kafka';
import { Clock } from '@meridian/shared';
import { CampaignConfig } from '../../config/campaign.config';
import { CustomerContacts } from '../../customers/application/ports/customer-contacts.port';
import { CustomerRecords } from '../../customers/application/ports/customer-records.port';
import { factsOf } from '../../customers/domain/customer-facts';
import { messageIdFor } from '../domain/message-id';
import { MessagePlan, planMessage } from '../domain/message-plan';
import type { TriggerEvent } from '../domain/trigger-event';
import { CampaignCatalogue } from './campaign-catalogue';
import { decisionEvent } from './decision-event';
import { ChannelHistories } from './ports/channel-histories.port';
import { DecisionLedger, LedgerEntry, LedgerOutcome } from './ports/decision-ledger.port';
import { Postponement, Postponements } from './ports/postponements.port';

export interface DecideOptions {
  /** A postponed or waiting decision taken again, for that campaign alone (its job re-times itself). */
  only?: string;
  /** A scheduled campaign's batch run: its triggers decided for that campaign alone, afresh. */
  campaign?: string;
  /** Triggers too old to set anything off (a replay): only what they decided before is published again. */
  replayOnly?: ReadonlySet<string>;
}

/** What became of each campaign a trigger set off: decided (now or before), or waiting for the profile it came from. */
export type TriggerResult = { campaignId: string; trigger: TriggerEvent } & ({ outcome: LedgerOutcome } | { messageId: string; waiting: true } | { idle: true });

/**
 * Issue 12, point 2: each trigger decided for every campaign it sets off, within the batch it
 * arrived in — the plan (DOMAIN.md's order up to the open service case) from what is kept of the
 * customer, then the ledger (caps, quiet hours, budget, control) in one atomic step per message,
 * then the outcome published (CampaignMessageRequested or Suppressed with its reason) and a
 * postponement scheduled. Keyed by campaign, customer and trigger: a redelivered trigger finds
 * its first outcome and publishes it again, the same event, whatever the campaign has become
 * since. A trigger from a profile version campaign has not kept yet waits for it (a job), rather
 * than being decided on older consents.
 */
@Injectable()
export class DecideTriggersUseCase {
  constructor(
    private readonly catalogue: CampaignCatalogue,
    private readonly customers: CustomerRecords,
    private readonly contacts: CustomerContacts,
    private readonly histories: ChannelHistories,
    private readonly ledger: DecisionLedger,
    private readonly postponements: Postponements,
    private readonly publisher: EventPublisher,
    private readonly config: CampaignConfig,
    private readonly clock: Clock,
  ) {}

  async execute(triggers: readonly TriggerEvent[], options: DecideOptions = {}): Promise<TriggerResult[]> {
    await this.catalogue.ready();
    const pairs = triggers.flatMap((trigger) => {
      const alone = options.only ?? options.campaign;
      const campaigns = alone ? [this.catalogue.get(alone)].filter((c) => c !== undefined) : this.catalogue.matching(trigger);
      return campaigns.map((campaign) => ({ trigger, campaign }));
    });
    if (!pairs.length) return [];
    const ids = [...new Set(pairs.map((p) => p.trigger.customerId))];
    const [records, holds, history] = await Promise.all([this.customers.get(ids), this.contacts.holdsOf(ids), this.histories.byTier()]);
    const rules = this.config.rules;
    const now = this.clock.now();
    const planned = pairs.map(({ trigger, campaign }) => {
      const campaignId = campaign.stored.campaignId;
      const record = records.get(trigger.customerId);
      const facts = factsOf(record);
      const waiting = (trigger.profileVersion ?? 0) > (record?.version ?? 0) && !options.replayOnly?.has(trigger.triggerId);
      const plan: MessagePlan = options.replayOnly?.has(trigger.triggerId) || waiting
        ? { kind: 'IDLE' }
        : planMessage({ campaign, customerId: trigger.customerId, facts, now: now.toISOString(), ...(holds.get(trigger.customerId) ?? { openServiceCase: false, optedOut: [] }), ...(facts?.tier && { history: history.get(facts.tier) }) }, rules);
      const entry: LedgerEntry = { campaignId, customerId: trigger.customerId, messageId: messageIdFor(campaignId, trigger.customerId, trigger.triggerId), plan, customerCap: rules.customerCap, budgetMinor: campaign.stored.definition.budgetMinor, aumMinor: facts?.aumMinor, ...(facts?.tier && { tier: facts.tier }), now, retry: options.only !== undefined };
      return { trigger, entry, waiting, checked: campaign.checked };
    });
    const outcomes = await this.ledger.settle(planned.map((p) => p.entry));
    const results: TriggerResult[] = planned.map(({ trigger, entry, waiting }, i) => {
      const outcome = outcomes[i];
      const base = { campaignId: entry.campaignId, trigger };
      return outcome ? { ...base, outcome } : waiting ? { ...base, messageId: entry.messageId, waiting: true } : { ...base, idle: true };
    });
    const decided = results.flatMap((r) => ('outcome' in r ? [r] : []));
    const checked = new Set(planned.filter((p) => p.checked).map((p) => p.entry.campaignId));
    await this.publisher.publishAll(decided.map((r) => decisionEvent(r.outcome, r.campaignId, r.trigger, checked.has(r.campaignId))));
    // A retried job re-times itself; a trigger's postponement (again, on a redelivery: one job per id) and its wait for the profile are scheduled here.
    if (!options.only) {
      await this.postponements.postpone([
        ...decided.flatMap((r) => (r.outcome.kind === 'POSTPONED' ? [{ messageId: r.outcome.messageId, campaignId: r.campaignId, trigger: r.trigger, until: r.outcome.until }] : [])),
        ...results.flatMap((r): Postponement[] => ('waiting' in r ? [{ messageId: r.messageId, campaignId: r.campaignId, trigger: r.trigger, waiting: true }] : [])),
      ]);
    }
    return results;
  }
}

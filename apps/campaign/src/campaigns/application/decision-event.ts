import { TOPICS } from '@meridian/events';
import { OutgoingEvent, newEnvelope } from '@meridian/events/kafka';
import type { TriggerEvent } from '../domain/trigger-event';
import type { LedgerOutcome } from './ports/decision-ledger.port';

const SOURCE = 'meridian-campaign';

/**
 * What a decision publishes: CampaignMessageRequested for a message sent, else
 * CampaignMessageSuppressed with its reason (a control-group message is tracked as
 * CONTROL_GROUP, a postponed one as QUIET_HOURS with the instant it is taken again), under an
 * event id of the message and the outcome — a redelivered trigger publishes the same event.
 * Trusted when the campaign's definition passes the API's checks today (`checked`):
 * decision-event.spec proves every event built here from such a definition valid on
 * crm.campaign.v1, so the publisher does not validate each again (a decision's hot path); one
 * stored before a check was added is validated as it goes.
 */
export function decisionEvent(o: LedgerOutcome, campaignId: string, trigger: TriggerEvent, trusted: boolean): OutgoingEvent {
  const base = { customerId: trigger.customerId, campaignId, messageId: o.messageId };
  const options = (suffix: string) => ({ eventId: `${o.messageId}.${suffix}`, source: SOURCE, customerId: trigger.customerId, occurredAt: o.at, causationId: trigger.triggerId });
  if (o.kind === 'SENT') {
    return { topic: TOPICS.campaign, trusted, envelope: newEnvelope('CampaignMessageRequested', { ...base, channel: o.channel, templateId: o.templateId, content: o.content, variant: 'TREATMENT' }, options('requested')) };
  }
  const reason = o.kind === 'SUPPRESSED' ? o.reason : o.kind === 'POSTPONED' ? 'QUIET_HOURS' : 'CONTROL_GROUP';
  const payload = { ...base, reason, ...(o.kind === 'POSTPONED' && { postponedUntil: o.until }) };
  return { topic: TOPICS.campaign, trusted, envelope: newEnvelope('CampaignMessageSuppressed', payload, options(o.kind === 'POSTPONED' ? `postponed.${Date.parse(o.until)}` : `suppressed.${reason}`)) };
}

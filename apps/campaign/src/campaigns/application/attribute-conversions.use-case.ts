import { Injectable } from '@nestjs/common';
import { TOPICS } from '@meridian/events';
import { EventPublisher, newEnvelope } from '@meridian/events/kafka';
import { CampaignConfig } from '../../config/campaign.config';
import { CampaignGoalTerms, GoalEvent, attribute, withinWindow } from '../domain/conversion';
import { CampaignCatalogue } from './campaign-catalogue';
import { ConversionLedger, ConversionWrite } from './ports/conversion-ledger.port';

/** ConversionAttributed's conversionType: what converted the customer. */
function typeOf(e: GoalEvent): string {
  if (e.kind === 'PRODUCT_OPENED') return `ProductOpened:${e.productType}`;
  return e.kind === 'TRANSACTION' ? `TransactionPosted:${e.category}` : 'AumIncrease';
}

/**
 * Issue 12, point 5: goal events — a product opened, a transaction, the AUM a profile now shows —
 * against the customer's latest touch of each campaign. Each campaign whose goal the event meets
 * inside its window counts that message converted in its arm (treatment or control: the uplift's
 * two rates, over messages sent and held); the last treated touch before it is credited
 * (ConversionAttributed, with its value) — published once a message, by the event that converted
 * it, and again only for that event's redelivery. For ROI, every product opened and the AUM change
 * since the decision are counted by arm inside the window, once each.
 */
@Injectable()
export class AttributeConversionsUseCase {
  constructor(
    private readonly catalogue: CampaignCatalogue,
    private readonly conversions: ConversionLedger,
    private readonly publisher: EventPublisher,
    private readonly config: CampaignConfig,
  ) {}

  async execute(events: readonly GoalEvent[]): Promise<void> {
    if (!events.length) return;
    await this.catalogue.ready();
    const touches = await this.conversions.touchesOf(events.map((e) => e.customerId));
    const window = this.config.CAMPAIGN_ATTRIBUTION_DAYS;
    const termsOf = (campaignId: string): CampaignGoalTerms | undefined => {
      const d = this.catalogue.get(campaignId)?.stored.definition;
      return d && { goal: d.goal, windowDays: d.attributionWindowDays ?? window, offerValueMinor: d.offer?.valueMinor ?? 0 };
    };
    const writes: ConversionWrite[] = [];
    const credits: Array<{ event: GoalEvent; campaignId: string; messageId: string; valueMinor: number; write: number }> = [];
    for (const event of events) {
      const mine = touches.get(event.customerId) ?? [];
      const { conversions, credited } = attribute(event, mine, termsOf);
      for (const c of conversions) {
        if (c === credited) credits.push({ event, campaignId: c.touch.campaignId, messageId: c.touch.messageId, valueMinor: c.valueMinor, write: writes.length });
        writes.push({ kind: 'CONVERT', touch: c.touch, eventId: event.eventId, valueMinor: c.valueMinor, credited: c === credited, windowDays: termsOf(c.touch.campaignId)?.windowDays ?? window });
      }
      for (const touch of mine) {
        const terms = termsOf(touch.campaignId);
        if (!terms || !withinWindow(touch, Date.parse(event.at), terms.windowDays)) continue;
        if (event.kind === 'PRODUCT_OPENED') writes.push({ kind: 'PRODUCT', touch, eventId: event.eventId, windowDays: terms.windowDays });
        if (event.kind === 'AUM') writes.push({ kind: 'AUM', touch, version: event.version, deltaMinor: event.aumMinor - touch.aumMinor, windowDays: terms.windowDays });
      }
    }
    const results = await this.conversions.record(writes);
    await this.publisher.publishAll(
      credits.filter((c) => results[c.write] !== 'BEFORE').map((c) => ({
        topic: TOPICS.campaign,
        envelope: newEnvelope('ConversionAttributed', { customerId: c.event.customerId, campaignId: c.campaignId, messageId: c.messageId, conversionEventId: c.event.eventId, conversionType: typeOf(c.event), valueMinor: c.valueMinor }, { eventId: `${c.messageId}.converted`, source: 'meridian-campaign', customerId: c.event.customerId, occurredAt: c.event.at, causationId: c.event.eventId }),
      })),
    );
  }
}

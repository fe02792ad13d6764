import { Injectable } from '@nestjs/common';
import { TOPICS } from '@meridian/events';
import { EventPublisher, newEnvelope } from '@meridian/events/kafka';
import { Clock } from '@meridian/shared';
import { CampaignConfig } from '../../config/campaign.config';
import { endedWeeks, kpiWatch } from '../domain/kpi-watch';
import { CampaignCatalogue } from './campaign-catalogue';
import { CampaignCounters } from './ports/campaign-counters.port';

/**
 * Issue 12, point 7 — the KPI watch, run on a schedule on one instance: each ACTIVE or PAUSED
 * campaign's latest ended weeks against its target conversion rate (a week's messages and the
 * conversions credited to them so far); RED `kpiRedWeeks` weeks running publishes
 * CampaignKpiAlert, once a campaign and week (its event id; the next runs find it marked).
 */
@Injectable()
export class WatchKpisUseCase {
  constructor(
    private readonly catalogue: CampaignCatalogue,
    private readonly counters: CampaignCounters,
    private readonly publisher: EventPublisher,
    private readonly config: CampaignConfig,
    private readonly clock: Clock,
  ) {}

  async execute(): Promise<number> {
    await this.catalogue.ready();
    const rules = this.config.rules;
    const weeks = endedWeeks(this.clock.now(), rules.defaultTimeZone, rules.kpiRedWeeks);
    let alerts = 0;
    for (const { stored } of this.catalogue.all().filter((c) => c.stored.status === 'ACTIVE' || c.stored.status === 'PAUSED')) {
      const counters = await this.counters.read(stored.campaignId);
      const figures = weeks.map((week) => ({ week, sent: counters[`sent:week:${week}`] ?? 0, converted: counters[`converted:week:${week}`] ?? 0 }));
      const { alert } = kpiWatch(figures, stored.definition.targetConversionRate, rules);
      // Published, then marked: a crash between sends it again under the same id, never loses it.
      if (!alert || counters[`alerted:${alert.week}`]) continue;
      await this.publisher.publishAll([
        {
          topic: TOPICS.campaign,
          envelope: newEnvelope('CampaignKpiAlert', { campaignId: stored.campaignId, week: alert.week, status: alert.status, conversionRate: alert.conversionRate, target: stored.definition.targetConversionRate }, { eventId: `kpi.${stored.campaignId}.${alert.week}`, source: 'meridian-campaign', occurredAt: this.clock.now().toISOString() }),
        },
      ]);
      await this.counters.mark(stored.campaignId, `alerted:${alert.week}`);
      alerts++;
    }
    return alerts;
  }
}

import { Injectable } from '@nestjs/common';
import type { EventEnvelope } from '@meridian/events';
import { Clock } from '@meridian/shared';
import { CampaignConfig } from '../../config/campaign.config';
import { CustomerRecords } from '../../customers/application/ports/customer-records.port';
import { segmentNews } from '../../customers/domain/segment-news';
import { replayedTriggers } from '../domain/trigger-event';
import { DecideTriggersUseCase } from './decide-triggers.use-case';

/**
 * crm.segment.v1 at campaign: each announcement kept as a fact (the newest of each field wins,
 * whatever the order), then the triggers among them decided — on the facts they brought. A
 * trigger older than CAMPAIGN_TRIGGER_MAX_AGE_HOURS (a replay of the topic) is kept as a fact
 * but sets nothing off — a customer is not offered today what they did last month — beyond
 * publishing again what it decided before (a redelivery after a crash).
 */
@Injectable()
export class ApplySegmentNewsUseCase {
  constructor(
    private readonly customers: CustomerRecords,
    private readonly decide: DecideTriggersUseCase,
    private readonly config: CampaignConfig,
    private readonly clock: Clock,
  ) {}

  async execute(envelopes: readonly EventEnvelope<unknown>[]): Promise<void> {
    const news = envelopes.map(segmentNews);
    const triggers = news.flatMap((n) => (n.trigger ? [n.trigger] : []));
    await this.customers.recordChangesThen(news.map((n) => n.change), async () => {
      if (triggers.length) await this.decide.execute(triggers, { replayOnly: replayedTriggers(triggers, this.clock.now(), this.config.CAMPAIGN_TRIGGER_MAX_AGE_HOURS) });
    });
  }
}

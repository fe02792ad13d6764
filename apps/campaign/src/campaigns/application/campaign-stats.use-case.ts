import { Injectable } from '@nestjs/common';
import { CampaignConfig } from '../../config/campaign.config';
import { StatsView, statsOf } from '../domain/campaign-stats';
import { WeekStatus, kpiWatch, weeklyFigures } from '../domain/kpi-watch';
import { ReadCampaignsUseCase } from './read-campaigns.use-case';
import { CampaignCounters } from './ports/campaign-counters.port';

export type CampaignStats = { campaignId: string; status: string } & StatsView & {
  /** The KPI watch's weeks, the latest first: a week's messages, their conversions so far, GREEN/YELLOW/RED against the target. */
  kpi: WeekStatus[];
};

/** GET /v1/campaigns/{id}/stats: the funnel and the decisions' counters, kept as they happened. */
@Injectable()
export class CampaignStatsUseCase {
  constructor(
    private readonly campaigns: ReadCampaignsUseCase,
    private readonly counters: CampaignCounters,
    private readonly config: CampaignConfig,
  ) {}

  async execute(campaignId: string): Promise<CampaignStats> {
    const [campaign] = await this.campaigns.execute(campaignId);
    const counters = await this.counters.read(campaignId);
    const rules = this.config.rules;
    return { campaignId, status: campaign.status, ...statsOf(counters, rules), kpi: kpiWatch(weeklyFigures(counters), campaign.definition.targetConversionRate, rules).statuses };
  }
}

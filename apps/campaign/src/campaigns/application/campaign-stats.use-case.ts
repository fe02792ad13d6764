import { Injectable } from '@nestjs/common';
import { CampaignConfig } from '../../config/campaign.config';
import { StatsView, statsOf } from '../domain/campaign-stats';
import { ReadCampaignsUseCase } from './read-campaigns.use-case';
import { CampaignCounters } from './ports/campaign-counters.port';

export type CampaignStats = { campaignId: string; status: string } & StatsView;

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
    return { campaignId, status: campaign.status, ...statsOf(await this.counters.read(campaignId), this.config.rules) };
  }
}

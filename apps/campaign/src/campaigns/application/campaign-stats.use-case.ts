import { Injectable } from '@nestjs/common';
import { ReadCampaignsUseCase } from './read-campaigns.use-case';
import { CampaignCounters } from './ports/campaign-counters.port';

export interface CampaignStats {
  campaignId: string;
  status: string;
  /** Treatment messages requested of the channels. */
  sent: number;
  /** Control customers: eligible for a message, held out, tracked. */
  control: number;
  suppressed: Record<string, number>;
  costMinor: number;
  byChannel: Record<string, number>;
  byVariant: Record<string, number>;
}

const under = (counters: Record<string, number>, prefix: string) =>
  Object.fromEntries(Object.entries(counters).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));

/** GET /v1/campaigns/{id}/stats: the decisions' counters, kept as they were taken (never a scan of messages). */
@Injectable()
export class CampaignStatsUseCase {
  constructor(
    private readonly campaigns: ReadCampaignsUseCase,
    private readonly counters: CampaignCounters,
  ) {}

  async execute(campaignId: string): Promise<CampaignStats> {
    const [campaign] = await this.campaigns.execute(campaignId);
    const c = await this.counters.read(campaignId);
    return { campaignId, status: campaign.status, sent: c.sent ?? 0, control: c.control ?? 0, suppressed: under(c, 'suppressed:'), costMinor: c.costMinor ?? 0, byChannel: under(c, 'sent:channel:'), byVariant: under(c, 'sent:variant:') };
  }
}

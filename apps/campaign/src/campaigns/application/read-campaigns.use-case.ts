import { Injectable, NotFoundException } from '@nestjs/common';
import type { StoredCampaign } from '../domain/stored-campaign';
import { CampaignStore } from './ports/campaign-store.port';

/** GET /v1/campaigns[/{id}]: one campaign, or all of them, newest first. */
@Injectable()
export class ReadCampaignsUseCase {
  constructor(private readonly store: CampaignStore) {}

  async execute(campaignId?: string): Promise<StoredCampaign[]> {
    if (campaignId === undefined) return (await this.store.list()).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    const found = await this.store.get(campaignId);
    if (!found) throw new NotFoundException(`no campaign ${campaignId}`);
    return [found];
  }
}

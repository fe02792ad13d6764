import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { CampaignConfig } from '../../config/campaign.config';
import { CompiledCampaign, compileCampaign } from '../domain/compiled-campaign';
import { TriggerEvent, triggerMatches } from '../domain/trigger-event';
import { CampaignStore } from './ports/campaign-store.port';

/**
 * The ACTIVE campaigns each instance decides with, compiled once per version (ADR 0004): read
 * whole at start and every CAMPAIGN_CATALOGUE_REFRESH_SECONDS (a bank runs tens of campaigns,
 * not thousands), and at once after this instance's own edits. A trigger reads no storage to
 * know which campaigns it sets off.
 */
@Injectable()
export class CampaignCatalogue implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('CampaignCatalogue');
  private active = new Map<string, CompiledCampaign>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly store: CampaignStore,
    private readonly config: CampaignConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.refresh().catch((error: Error) => this.logger.warn(`campaigns not read at start, retrying: ${error.message}`));
    this.timer = setInterval(() => void this.refresh().catch((error: Error) => this.logger.warn(`campaigns not re-read: ${error.message}`)), this.config.CAMPAIGN_CATALOGUE_REFRESH_SECONDS * 1000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async refresh(): Promise<void> {
    const next = new Map<string, CompiledCampaign>();
    for (const stored of await this.store.list()) {
      if (stored.status !== 'ACTIVE') continue;
      const kept = this.active.get(stored.campaignId);
      next.set(stored.campaignId, kept && kept.stored.version === stored.version && kept.stored.status === stored.status ? kept : compileCampaign(stored));
    }
    this.active = next;
  }

  matching(event: TriggerEvent): CompiledCampaign[] {
    return [...this.active.values()].filter((c) => triggerMatches(c.stored.definition.trigger, event));
  }

  get(campaignId: string): CompiledCampaign | undefined {
    return this.active.get(campaignId);
  }
}

import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { CampaignConfig } from '../../config/campaign.config';
import { CompiledCampaign, compileCampaign } from '../domain/compiled-campaign';
import { TriggerEvent, triggerMatches } from '../domain/trigger-event';
import { CatalogueVersions } from './ports/catalogue-versions.port';
import { CampaignStore } from './ports/campaign-store.port';

/**
 * The campaigns each instance decides with — every one past DRAFT, so a redelivered trigger of a
 * campaign paused or completed since still finds its earlier decision — compiled once per
 * version (ADR 0004): read whole at start, every CAMPAIGN_CATALOGUE_REFRESH_SECONDS (a bank runs
 * tens of campaigns, not thousands), and whenever the catalogue's version in Redis moved (every
 * edit, activation or pause, on any instance, bumps it; each batch of triggers reads it: one GET),
 * so no instance decides with a campaign another paused a moment ago. A trigger waits for the
 * first read (`ready`: it is never judged against an empty list); of two reads at once, the one
 * begun later stands. A trigger reads no
 * storage to know which campaigns it sets off. A definition that no longer compiles is left out
 * and said in the log; the others go on.
 */
@Injectable()
export class CampaignCatalogue implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('CampaignCatalogue');
  private campaigns = new Map<string, CompiledCampaign>();
  private loaded = false;
  /** The catalogue version the campaigns held were read at, and the latest read begun. */
  private version = -1;
  private reads = 0;
  private applied = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly store: CampaignStore,
    private readonly versions: CatalogueVersions,
    private readonly config: CampaignConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    // The service comes up without its database (its health says so); triggers wait in `ready`.
    await this.refresh().catch((error: Error) => this.logger.warn(`campaigns not read at start, retrying: ${error.message}`));
    this.timer = setInterval(() => void this.refresh().catch((error: Error) => this.logger.warn(`campaigns not re-read: ${error.message}`)), this.config.CAMPAIGN_CATALOGUE_REFRESH_SECONDS * 1000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async refresh(): Promise<void> {
    const read = ++this.reads;
    const version = await this.versions.current();
    const next = new Map<string, CompiledCampaign>();
    for (const stored of await this.store.list()) {
      if (stored.status === 'DRAFT') continue;
      const kept = this.campaigns.get(stored.campaignId);
      try {
        if (kept && kept.stored.version === stored.version) {
          next.set(stored.campaignId, kept);
          continue;
        }
        const compiled = compileCampaign(stored, this.config.rules);
        // Decided as before, its events validated one by one: said once a version, so the slower path is seen.
        if (!compiled.checked) this.logger.warn(`campaign ${stored.campaignId} v${stored.version} does not pass today's checks of a definition (stored before one was added, or the rules were tightened): its events are validated as they go out`);
        next.set(stored.campaignId, compiled);
      } catch (error) {
        this.logger.error(`campaign ${stored.campaignId} v${stored.version} does not compile and decides nothing: ${(error as Error).message}`);
      }
    }
    if (read < this.applied) return;
    this.applied = read;
    this.campaigns = next;
    this.version = version;
    this.loaded = true;
  }

  /**
   * Resolves once the campaigns held are those of the catalogue's current version; reads them now
   * if they never were or it moved (throws while storage is away: the consumer's outage, redelivered).
   */
  async ready(): Promise<void> {
    if (!this.loaded || (await this.versions.current()) !== this.version) await this.refresh();
  }

  /** After an edit of this instance's: every instance's next batch reads the campaigns again. */
  async changed(): Promise<void> {
    await this.versions.bump();
    await this.refresh();
  }

  /** The campaigns past DRAFT whose trigger the event is; the plan says which of them decide now. */
  matching(event: TriggerEvent): CompiledCampaign[] {
    return [...this.campaigns.values()].filter((c) => triggerMatches(c.stored.definition.trigger, event));
  }

  /** Every campaign past DRAFT. */
  all(): CompiledCampaign[] {
    return [...this.campaigns.values()];
  }

  get(campaignId: string): CompiledCampaign | undefined {
    return this.campaigns.get(campaignId);
  }
}

import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { Clock, FieldValidationException, Principal } from '@meridian/shared';
import { randomUUID } from 'node:crypto';
import { CampaignConfig } from '../../config/campaign.config';
import { campaignDefinitionInput } from '../domain/definition-input';
import type { StoredCampaign } from '../domain/stored-campaign';
import { CampaignCatalogue } from './campaign-catalogue';
import { BatchSchedule } from './ports/batch-runs.port';
import { CampaignStore } from './ports/campaign-store.port';

/**
 * POST /v1/campaigns and PUT /v1/campaigns/{id}: a definition checked whole (400 naming each
 * field and rule), stored as DRAFT or as a new version of the campaign. A COMPLETED campaign is
 * final; an ACTIVE one takes the edit at once (its caps, budget spent and arms stay its own; a
 * SCHEDULED one's run is scheduled at its instant).
 */
@Injectable()
export class DefineCampaignUseCase {
  constructor(
    private readonly store: CampaignStore,
    private readonly catalogue: CampaignCatalogue,
    private readonly config: CampaignConfig,
    private readonly clock: Clock,
    private readonly batches: BatchSchedule,
  ) {}

  async execute(body: unknown, by: Principal, campaignId?: string): Promise<StoredCampaign> {
    const { definition, errors } = campaignDefinitionInput(body, this.config.rules);
    if (!definition) throw new FieldValidationException(errors);
    const now = this.clock.now().toISOString();
    if (campaignId === undefined) {
      const stored: StoredCampaign = { campaignId: `cmp-${randomUUID()}`, version: 1, status: 'DRAFT', definition, createdAt: now, updatedAt: now, createdBy: by.sub };
      await this.store.insert(stored);
      return stored;
    }
    const kept = await this.store.get(campaignId);
    if (!kept) throw new NotFoundException(`no campaign ${campaignId}`);
    if (kept.status === 'COMPLETED') throw new ConflictException(`campaign ${campaignId} is COMPLETED: its definition and stats are final`);
    const next: StoredCampaign = { ...kept, version: kept.version + 1, definition, updatedAt: now };
    if (!(await this.store.replace(next, kept.version))) throw new ConflictException(`campaign ${campaignId} was changed meanwhile: read it again`);
    await this.catalogue.changed();
    // An ACTIVE scheduled campaign re-timed (or made SCHEDULED) runs at its new instant; the old run's job finds it no longer its own.
    if (next.status === 'ACTIVE' && definition.trigger.kind === 'SCHEDULED') await this.batches.schedule(campaignId, definition.trigger.at);
    return next;
  }
}

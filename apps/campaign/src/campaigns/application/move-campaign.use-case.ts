import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { Clock } from '@meridian/shared';
import { CampaignCommand, moveCampaign } from '../domain/campaign-status';
import type { StoredCampaign } from '../domain/stored-campaign';
import { CampaignCatalogue } from './campaign-catalogue';
import { BatchSchedule } from './ports/batch-runs.port';
import { CampaignStore } from './ports/campaign-store.port';

/** POST /v1/campaigns/{id}/activate|pause: DRAFT → ACTIVE ⇄ PAUSED (409 naming the moves allowed); this instance decides with it at once, the others within their refresh; a SCHEDULED one's batch run is scheduled at its instant. */
@Injectable()
export class MoveCampaignUseCase {
  constructor(
    private readonly store: CampaignStore,
    private readonly catalogue: CampaignCatalogue,
    private readonly clock: Clock,
    private readonly batches: BatchSchedule,
  ) {}

  async execute(campaignId: string, command: CampaignCommand): Promise<StoredCampaign> {
    const kept = await this.store.get(campaignId);
    if (!kept) throw new NotFoundException(`no campaign ${campaignId}`);
    const move = moveCampaign(kept.status, command);
    if (!move.ok) throw new ConflictException({ message: `a ${kept.status} campaign cannot ${command.toLowerCase()}`, extensions: { currentStatus: kept.status, allowed: move.allowed } });
    if (!move.changed) return kept;
    const next: StoredCampaign = { ...kept, version: kept.version + 1, status: move.to, updatedAt: this.clock.now().toISOString() };
    if (!(await this.store.replace(next, kept.version))) throw new ConflictException(`campaign ${campaignId} was changed meanwhile: try again`);
    await this.catalogue.changed();
    // A scheduled campaign's run, at its instant (at once if it has passed); resumed, not begun again, after a pause.
    const trigger = next.definition.trigger;
    if (next.status === 'ACTIVE' && trigger.kind === 'SCHEDULED') await this.batches.schedule(campaignId, trigger.at);
    return next;
  }
}

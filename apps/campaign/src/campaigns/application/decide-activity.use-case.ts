import { Injectable } from '@nestjs/common';
import { Clock } from '@meridian/shared';
import { CampaignConfig } from '../../config/campaign.config';
import { TriggerEvent, replayedTriggers } from '../domain/trigger-event';
import { DecideTriggersUseCase } from './decide-triggers.use-case';

/**
 * What customers did, as triggers (issue 12, point 1: "a matching transaction or interaction
 * such as a mortgage opened → renovation loan"): each product opened and each transaction decided
 * for the campaigns it sets off, on the facts campaign keeps — unless it is older than
 * CAMPAIGN_TRIGGER_MAX_AGE_HOURS (a replay), when it only publishes again what it decided before.
 */
@Injectable()
export class DecideActivityUseCase {
  constructor(
    private readonly decide: DecideTriggersUseCase,
    private readonly config: CampaignConfig,
    private readonly clock: Clock,
  ) {}

  async execute(triggers: readonly TriggerEvent[]): Promise<void> {
    if (triggers.length) await this.decide.execute(triggers, { replayOnly: replayedTriggers(triggers, this.clock.now(), this.config.CAMPAIGN_TRIGGER_MAX_AGE_HOURS) });
  }
}

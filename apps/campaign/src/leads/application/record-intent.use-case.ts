import { Injectable } from '@nestjs/common';
import type { EventEnvelope, InteractionRecorded } from '@meridian/events';
import { CampaignConfig } from '../../config/campaign.config';
import { IntentSignal, intentOf } from '../domain/intent-signal';
import { IntentSignals } from './ports/intent-signals.port';
import { ScoreLeadsUseCase } from './score-leads.use-case';

/** crm.interaction.v1's intent interactions (a wealth INQUIRY, a product PAGE_VIEW): kept for the intent window, and their customers rescored. */
@Injectable()
export class RecordIntentUseCase {
  constructor(
    private readonly signals: IntentSignals,
    private readonly scores: ScoreLeadsUseCase,
    private readonly config: CampaignConfig,
  ) {}

  async execute(interactions: ReadonlyArray<EventEnvelope<InteractionRecorded>>): Promise<void> {
    const rules = this.config.leads;
    const found = interactions.flatMap((e): Array<IntentSignal & { customerId: string }> => {
      const signal = e.customerId ? intentOf(e.payload, e.occurredAt, rules) : undefined;
      return signal && e.customerId ? [{ ...signal, customerId: e.customerId }] : [];
    });
    if (!found.length) return;
    await this.signals.record(found, rules.intentWindowDays);
    await this.scores.execute(found.map((s) => ({ customerId: s.customerId, at: s.at })));
  }
}

import { Injectable } from '@nestjs/common';
import type { EventEnvelope, InteractionRecorded } from '@meridian/events';
import { ServiceDeskConfig } from '../../config/service-desk.config';
import { CustomerInteractions } from './ports/customer-interactions.port';

/**
 * Keeps each customer's newest interactions for the agent's context view (issue 11, point 7):
 * every InteractionRecorded that names its customer, whatever its kind — a ticket's opening, a
 * campaign's message, a survey's answer. Its free text is not kept.
 */
@Injectable()
export class RecordInteractionsUseCase {
  constructor(
    private readonly interactions: CustomerInteractions,
    private readonly config: ServiceDeskConfig,
  ) {}

  async execute(envelopes: readonly EventEnvelope<InteractionRecorded>[]): Promise<void> {
    const seen = envelopes.flatMap(({ customerId, occurredAt, payload: p }) => {
      if (!customerId) return [];
      const optional = { ...(p.topic !== undefined && { topic: p.topic }), ...(p.ticketId !== undefined && { ticketId: p.ticketId }), ...(p.campaignId !== undefined && { campaignId: p.campaignId }) };
      return [{ customerId, interaction: { interactionId: p.interactionId, kind: p.kind, channel: p.channel, occurredAt, ...optional } }];
    });
    if (seen.length) await this.interactions.record(seen, this.config.SERVICE_DESK_CONTEXT_INTERACTIONS);
  }
}

import { Injectable } from '@nestjs/common';
import { EventEnvelope, InteractionRecorded, marketingChannelOf } from '@meridian/events';
import { CustomerOptOuts, OptOutFact } from './ports/customer-opt-outs.port';

/** Keeps each CAMPAIGN_OPTED_OUT's channel (issue 11, point 6: a survey never goes to a channel the customer opted out of). */
@Injectable()
export class RecordOptOutsUseCase {
  constructor(private readonly optOuts: CustomerOptOuts) {}

  async execute(interactions: readonly EventEnvelope<InteractionRecorded>[]): Promise<void> {
    const facts: OptOutFact[] = interactions.flatMap((e) => {
      const channel = marketingChannelOf(e.payload.channel);
      return channel && e.customerId ? [{ customerId: e.customerId, channel, at: e.occurredAt }] : [];
    });
    await this.optOuts.record(facts);
  }
}

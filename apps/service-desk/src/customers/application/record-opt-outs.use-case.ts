import { Injectable } from '@nestjs/common';
import type { EventEnvelope, InteractionChannel, InteractionRecorded, MarketingChannel } from '@meridian/events';
import { CustomerOptOuts, OptOutFact } from './ports/customer-opt-outs.port';

/** The marketing channel an opt-out came on; a branch or RM visit names none. */
const ON: Partial<Record<InteractionChannel, MarketingChannel>> = { APP: 'app_push', SMS: 'sms', EMAIL: 'email', WECHAT: 'wechat', CALL_CENTER: 'phone' };

/** The opt-out's channel, or undefined when the interaction came on none a message goes out on. */
export const optedOutChannel = (channel: InteractionChannel): MarketingChannel | undefined => ON[channel];

/** Keeps each CAMPAIGN_OPTED_OUT's channel (issue 11, point 6: a survey never goes to a channel the customer opted out of). */
@Injectable()
export class RecordOptOutsUseCase {
  constructor(private readonly optOuts: CustomerOptOuts) {}

  async execute(interactions: readonly EventEnvelope<InteractionRecorded>[]): Promise<void> {
    const facts: OptOutFact[] = interactions.flatMap((e) => {
      const channel = optedOutChannel(e.payload.channel);
      return channel && e.customerId ? [{ customerId: e.customerId, channel, at: e.occurredAt }] : [];
    });
    await this.optOuts.record(facts);
  }
}

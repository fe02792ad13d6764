import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ProfileUpdated, TOPICS } from '@meridian/events';
import { BatchEventPattern, BatchOutcome, BatchRecord, ofType } from '@meridian/events/kafka';
import { RecordProfilesUseCase } from '../application/record-profiles.use-case';

/** The event types this consumer takes: the topic's others are passed over undecoded. */
const TAKES = ['ProfileUpdated'];

/** crm.profile.v1: each ProfileUpdated's consents, branch and RM are kept (the survey's channel, the agent's context). */
@Controller()
export class ProfileUpdatesConsumer {
  constructor(private readonly record: RecordProfilesUseCase) {}

  @BatchEventPattern([TOPICS.profile], { types: TAKES })
  async onProfileUpdates(@Payload() records: BatchRecord[]): Promise<BatchOutcome[]> {
    const { envelopes, outcomes } = ofType<ProfileUpdated>(records, ...TAKES);
    if (envelopes.length) await this.record.execute(envelopes);
    return outcomes;
  }
}

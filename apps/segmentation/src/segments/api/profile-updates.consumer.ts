import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { TOPICS } from '@meridian/events';
import { BatchEventPattern, BatchOutcome, BatchRecord, KafkaBatchContext, deadLetterReason } from '@meridian/events/kafka';
import { EvaluateProfileUpdatesUseCase, ProfileUpdateItem } from '../application/evaluate-profile-updates.use-case';

/**
 * Segmentation's Kafka door: crm.profile.v1 a run at a time. ProfileUpdated goes to the
 * evaluation; a record that does not decode is rejected (dead-lettered with its reason);
 * anything else on the topic is skipped.
 */
@Controller()
export class ProfileUpdatesConsumer {
  constructor(private readonly evaluate: EvaluateProfileUpdatesUseCase) {}

  @BatchEventPattern([TOPICS.profile])
  async onProfileUpdates(@Payload() records: BatchRecord[], @Ctx() context: KafkaBatchContext): Promise<BatchOutcome[]> {
    const outcomes: BatchOutcome[] = records.map(() => ({ status: 'skipped' }));
    const items: ProfileUpdateItem[] = [];
    records.forEach((record, index) => {
      if (!record.decoded.ok) outcomes[index] = { status: 'rejected', reason: deadLetterReason(record.decoded) };
      else if (record.decoded.envelope.type === 'ProfileUpdated') items.push({ index, envelope: record.decoded.envelope as ProfileUpdateItem['envelope'] });
    });
    if (items.length) for (const [index, outcome] of await this.evaluate.execute(items, () => context.control.heartbeat())) outcomes[index] = outcome;
    return outcomes;
  }
}

import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { InteractionRecorded, TOPICS } from '@meridian/events';
import { BatchEventPattern, BatchOutcome, BatchRecord, ofType } from '@meridian/events/kafka';
import { RecordResponsesUseCase } from '../application/record-responses.use-case';

/** crm.interaction.v1: the channels' reports on campaign messages (the rest of the customers' interactions are not campaign's). */
@Controller()
export class InteractionsConsumer {
  constructor(private readonly responses: RecordResponsesUseCase) {}

  @BatchEventPattern([TOPICS.interaction])
  async onInteractions(@Payload() records: BatchRecord[]): Promise<BatchOutcome[]> {
    const { envelopes, outcomes } = ofType<InteractionRecorded>(records, 'InteractionRecorded');
    if (envelopes.length) await this.responses.execute(envelopes);
    return outcomes;
  }
}

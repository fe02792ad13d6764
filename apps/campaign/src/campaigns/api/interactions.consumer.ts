import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { InteractionRecorded, TOPICS } from '@meridian/events';
import { BatchEventPattern, BatchOutcome, BatchRecord, ofType } from '@meridian/events/kafka';
import { RecordResponsesUseCase } from '../application/record-responses.use-case';

/** The event types this consumer takes: the topic's others are passed over undecoded. */
const TAKES = ['InteractionRecorded'];

/** crm.interaction.v1: the channels' reports on campaign messages (the rest of the customers' interactions are not campaign's). */
@Controller()
export class InteractionsConsumer {
  constructor(private readonly responses: RecordResponsesUseCase) {}

  @BatchEventPattern([TOPICS.interaction], { types: TAKES })
  async onInteractions(@Payload() records: BatchRecord[]): Promise<BatchOutcome[]> {
    const { envelopes, outcomes } = ofType<InteractionRecorded>(records, ...TAKES);
    if (envelopes.length) await this.responses.execute(envelopes);
    return outcomes;
  }
}

import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { InteractionRecorded, TOPICS } from '@meridian/events';
import { BatchEventPattern, BatchOutcome, BatchRecord, ofType } from '@meridian/events/kafka';
import { RecordIntentUseCase } from '../../leads/application/record-intent.use-case';
import { RecordResponsesUseCase } from '../application/record-responses.use-case';

/** The event types this consumer takes: the topic's others are passed over undecoded. */
const TAKES = ['InteractionRecorded'];

/** crm.interaction.v1: the channels' reports on campaign messages, and the intent interactions leads are scored on (issue 13, point 1). */
@Controller()
export class InteractionsConsumer {
  constructor(
    private readonly responses: RecordResponsesUseCase,
    private readonly intent: RecordIntentUseCase,
  ) {}

  @BatchEventPattern([TOPICS.interaction], { types: TAKES })
  async onInteractions(@Payload() records: BatchRecord[]): Promise<BatchOutcome[]> {
    const { envelopes, outcomes } = ofType<InteractionRecorded>(records, ...TAKES);
    if (envelopes.length) await this.responses.execute(envelopes);
    if (envelopes.length) await this.intent.execute(envelopes);
    return outcomes;
  }
}

import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { TOPICS, TierChanged } from '@meridian/events';
import { BatchEventPattern, BatchOutcome, BatchRecord, ofType } from '@meridian/events/kafka';
import { RecordTiersUseCase } from '../application/record-tiers.use-case';

/** The event types this consumer takes: the topic's others are passed over undecoded. */
const TAKES = ['TierChanged'];

/** crm.segment.v1: TierChanged is kept (it raises a ticket's priority); the rest of segmentation's news is skipped. */
@Controller()
export class TierChangesConsumer {
  constructor(private readonly record: RecordTiersUseCase) {}

  @BatchEventPattern([TOPICS.segment], { types: TAKES })
  async onSegmentEvents(@Payload() records: BatchRecord[]): Promise<BatchOutcome[]> {
    const { envelopes, outcomes } = ofType<TierChanged>(records, ...TAKES);
    if (envelopes.length) await this.record.execute(envelopes);
    return outcomes;
  }
}

import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { EventEnvelope, TOPICS, TierChanged } from '@meridian/events';
import { BatchEventPattern, BatchOutcome, BatchRecord, deadLetterReason } from '@meridian/events/kafka';
import { RecordTiersUseCase } from '../application/record-tiers.use-case';

/** crm.segment.v1: TierChanged is kept (it raises a ticket's priority); the rest of segmentation's news is skipped. */
@Controller()
export class TierChangesConsumer {
  constructor(private readonly record: RecordTiersUseCase) {}

  @BatchEventPattern([TOPICS.segment])
  async onSegmentEvents(@Payload() records: BatchRecord[]): Promise<BatchOutcome[]> {
    const changes: EventEnvelope<TierChanged>[] = [];
    const outcomes: BatchOutcome[] = records.map((record) => {
      if (!record.decoded.ok) return { status: 'rejected', reason: deadLetterReason(record.decoded) };
      if (record.decoded.envelope.type !== 'TierChanged') return { status: 'skipped' };
      changes.push(record.decoded.envelope as EventEnvelope<TierChanged>);
      return { status: 'applied' };
    });
    if (changes.length) await this.record.execute(changes);
    return outcomes;
  }
}

import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { TOPICS } from '@meridian/events';
import { BatchEventPattern, BatchOutcome, BatchRecord, KafkaBatchContext, deadLetterReason } from '@meridian/events/kafka';
import { IntakePipeline } from '../application/intake-pipeline';

/** Ingest's Kafka door: core banking's four topics, in runs, through the one pipeline. */
@Controller()
export class CoreEventsConsumer {
  constructor(private readonly pipeline: IntakePipeline) {}

  @BatchEventPattern([TOPICS.coreCustomers, TOPICS.coreProducts, TOPICS.coreTransactions, TOPICS.coreInteractions])
  async onCoreEvents(@Payload() records: BatchRecord[], @Ctx() context: KafkaBatchContext): Promise<BatchOutcome[]> {
    const results = await this.pipeline.execute(
      records.map((r) => ({ decoded: r.decoded, topic: r.context.topic })),
      { door: 'kafka', heartbeat: () => context.control.heartbeat() },
    );
    return results.map((r): BatchOutcome => {
      if (r.status === 'accepted') return { status: 'applied' };
      if (r.status === 'duplicate') return { status: 'duplicate' };
      return { status: 'rejected', reason: deadLetterReason(r) };
    });
  }
}

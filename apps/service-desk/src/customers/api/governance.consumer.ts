import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { CustomerErased, TOPICS } from '@meridian/events';
import { BatchEventPattern, BatchOutcome, BatchRecord, ofType } from '@meridian/events/kafka';
import { RecordErasuresUseCase } from '../application/record-erasures.use-case';

/** The event types this consumer takes: the topic's others are passed over undecoded. */
const TAKES = ['CustomerErased'];

/**
 * crm.governance.v1 at the desk (ADR 0012): CustomerErased marks the customer, and everyone
 * merged into them, erased. Merges reach the desk through profile (ProfileUpdated MERGED, which
 * profile decides along the chain); the rest of governance's news is skipped.
 */
@Controller()
export class GovernanceConsumer {
  constructor(private readonly erasures: RecordErasuresUseCase) {}

  @BatchEventPattern([TOPICS.governance], { types: TAKES })
  async onGovernanceEvents(@Payload() records: BatchRecord[]): Promise<BatchOutcome[]> {
    const { envelopes, outcomes } = ofType<CustomerErased>(records, ...TAKES);
    if (envelopes.length) await this.erasures.execute(envelopes.map((e) => e.payload.customerId));
    return outcomes;
  }
}

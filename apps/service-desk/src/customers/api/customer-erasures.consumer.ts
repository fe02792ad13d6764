import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { CustomerErased, TOPICS } from '@meridian/events';
import { BatchEventPattern, BatchOutcome, BatchRecord } from '@meridian/events/kafka';
import { RecordErasuresUseCase } from '../application/record-erasures.use-case';
import { ofType } from './of-type';

/** crm.governance.v1: CustomerErased marks the customer erased at the desk (ADR 0012); the rest of governance's news is skipped. */
@Controller()
export class CustomerErasuresConsumer {
  constructor(private readonly erasures: RecordErasuresUseCase) {}

  @BatchEventPattern([TOPICS.governance])
  async onGovernanceEvents(@Payload() records: BatchRecord[]): Promise<BatchOutcome[]> {
    const { envelopes, outcomes } = ofType<CustomerErased>(records, 'CustomerErased');
    if (envelopes.length) await this.erasures.execute(envelopes.map((e) => e.payload.customerId));
    return outcomes;
  }
}

import { Controller, Logger } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { CustomerErased, TOPICS } from '@meridian/events';
import { BatchEventPattern, BatchOutcome, BatchRecord } from '@meridian/events/kafka';
import { ofType } from '../../customers/api/of-type';
import { EraseCustomerTextUseCase } from '../application/erase-customer-text.use-case';

/** crm.governance.v1: CustomerErased clears what the customer said from the service desk; the rest of governance's news is skipped. */
@Controller()
export class CustomerErasuresConsumer {
  private readonly logger = new Logger('CustomerErasures');

  constructor(private readonly erase: EraseCustomerTextUseCase) {}

  @BatchEventPattern([TOPICS.governance])
  async onGovernanceEvents(@Payload() records: BatchRecord[]): Promise<BatchOutcome[]> {
    const { envelopes, outcomes } = ofType<CustomerErased>(records, 'CustomerErased');
    if (!envelopes.length) return outcomes;
    const cleared = await this.erase.execute(envelopes.map((e) => e.payload.customerId));
    this.logger.log(`${envelopes.length} customer(s) erased: their interactions forgotten, ${cleared} ticket subject(s) cleared`);
    return outcomes;
  }
}

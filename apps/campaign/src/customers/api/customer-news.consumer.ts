import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { TOPICS, TicketOpened, TicketStatusChanged } from '@meridian/events';
import { BatchEventPattern, BatchOutcome, BatchRecord, ofType } from '@meridian/events/kafka';
import { RecordServiceCasesUseCase } from '../application/record-service-cases.use-case';

/** The event types this consumer takes: the topic's others are passed over undecoded. */
const TAKES = ['TicketOpened', 'TicketStatusChanged'];

/** The customers' open service cases (crm.ticket.v1): no marketing while a complaint, dispute or card loss is open. Their profiles are kept by the goal events' consumer (crm.profile.v1 is also what AUM is measured on). */
@Controller()
export class CustomerNewsConsumer {
  constructor(private readonly cases: RecordServiceCasesUseCase) {}

  @BatchEventPattern([TOPICS.ticket], { types: TAKES })
  async onTickets(@Payload() records: BatchRecord[]): Promise<BatchOutcome[]> {
    const { envelopes, outcomes } = ofType<TicketOpened | TicketStatusChanged>(records, ...TAKES);
    if (envelopes.length) await this.cases.execute(envelopes);
    return outcomes;
  }
}

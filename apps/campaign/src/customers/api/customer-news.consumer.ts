import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ProfileUpdated, TOPICS, TicketOpened, TicketStatusChanged } from '@meridian/events';
import { BatchEventPattern, BatchOutcome, BatchRecord, ofType } from '@meridian/events/kafka';
import { RecordProfilesUseCase } from '../application/record-profiles.use-case';
import { RecordServiceCasesUseCase } from '../application/record-service-cases.use-case';

/** What campaign keeps of its customers beside segmentation's news: their profiles (crm.profile.v1) and their open service cases (crm.ticket.v1). */
@Controller()
export class CustomerNewsConsumer {
  constructor(
    private readonly profiles: RecordProfilesUseCase,
    private readonly cases: RecordServiceCasesUseCase,
  ) {}

  @BatchEventPattern([TOPICS.profile])
  async onProfiles(@Payload() records: BatchRecord[]): Promise<BatchOutcome[]> {
    const { envelopes, outcomes } = ofType<ProfileUpdated>(records, 'ProfileUpdated');
    if (envelopes.length) await this.profiles.execute(envelopes);
    return outcomes;
  }

  @BatchEventPattern([TOPICS.ticket])
  async onTickets(@Payload() records: BatchRecord[]): Promise<BatchOutcome[]> {
    const { envelopes, outcomes } = ofType<TicketOpened | TicketStatusChanged>(records, 'TicketOpened', 'TicketStatusChanged');
    if (envelopes.length) await this.cases.execute(envelopes);
    return outcomes;
  }
}

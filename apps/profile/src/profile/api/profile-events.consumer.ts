import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { TOPICS } from '@meridian/events';
import { BatchEventPattern, BatchOutcome, BatchRecord } from '@meridian/events/kafka';
import { ProfileProjector } from '../application/profile-projector';

/** The profile's Kafka door: the canonical topics, tickets and governance, a run at a time. */
@Controller()
export class ProfileEventsConsumer {
  constructor(private readonly projector: ProfileProjector) {}

  @BatchEventPattern([TOPICS.customer, TOPICS.product, TOPICS.transaction, TOPICS.interaction, TOPICS.ticket, TOPICS.governance])
  onEvents(@Payload() records: BatchRecord[]): Promise<BatchOutcome[]> {
    return this.projector.apply(records);
  }
}

import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { TOPICS } from '@meridian/events';
import { BatchEventPattern, BatchOutcome, BatchRecord, deadLetterReason } from '@meridian/events/kafka';
import { InteractionItem, OpenTicketsUseCase } from '../application/open-tickets.use-case';

/**
 * service-desk's intake door: crm.interaction.v1 a run at a time. InteractionRecorded goes to
 * intake (a ticket kind opens a ticket, any other kind is skipped); a record that does not
 * decode is dead-lettered with its reason.
 */
@Controller()
export class InteractionsConsumer {
  constructor(private readonly open: OpenTicketsUseCase) {}

  @BatchEventPattern([TOPICS.interaction])
  async onInteractions(@Payload() records: BatchRecord[]): Promise<BatchOutcome[]> {
    const outcomes: BatchOutcome[] = records.map(() => ({ status: 'skipped' }));
    const items: InteractionItem[] = [];
    records.forEach((record, index) => {
      if (!record.decoded.ok) outcomes[index] = { status: 'rejected', reason: deadLetterReason(record.decoded) };
      else if (record.decoded.envelope.type === 'InteractionRecorded') items.push({ index, envelope: record.decoded.envelope as InteractionItem['envelope'] });
    });
    if (items.length) for (const [index, outcome] of await this.open.execute(items)) outcomes[index] = outcome;
    return outcomes;
  }
}

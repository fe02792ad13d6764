import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { EventEnvelope, InteractionRecorded, TOPICS } from '@meridian/events';
import { BatchEventPattern, BatchOutcome, BatchRecord, deadLetterReason } from '@meridian/events/kafka';
import { OpenTicketsUseCase } from '../application/open-tickets.use-case';
import { TicketRequest, interactionTicketRequest } from '../application/ticket-request';

/**
 * service-desk's intake door: crm.interaction.v1 a run at a time. An InteractionRecorded of a
 * ticket kind opens its ticket (a repeat is a duplicate), any other kind is skipped; a record
 * that does not decode, or names no customer, is dead-lettered with its reason.
 */
@Controller()
export class InteractionsConsumer {
  constructor(private readonly open: OpenTicketsUseCase) {}

  @BatchEventPattern([TOPICS.interaction])
  async onInteractions(@Payload() records: BatchRecord[]): Promise<BatchOutcome[]> {
    const outcomes: BatchOutcome[] = records.map(() => ({ status: 'skipped' }));
    const requests = new Map<number, TicketRequest>();
    records.forEach((record, index) => {
      if (!record.decoded.ok) outcomes[index] = { status: 'rejected', reason: deadLetterReason(record.decoded) };
      else if (record.decoded.envelope.type === 'InteractionRecorded') {
        const asked = interactionTicketRequest(record.decoded.envelope as EventEnvelope<InteractionRecorded>);
        if ('ticketId' in asked) requests.set(index, asked);
        else outcomes[index] = asked;
      }
    });
    if (!requests.size) return outcomes;
    const answers = await this.open.execute([...requests.values()]);
    // The first request of a ticket that this run opened applied it; any other is a duplicate.
    const first = new Set<string>();
    for (const [index, r] of requests) {
      const applied = answers.get(r.ticketId)?.opened === true && !first.has(r.ticketId);
      first.add(r.ticketId);
      outcomes[index] = { status: applied ? 'applied' : 'duplicate' };
    }
    return outcomes;
  }
}

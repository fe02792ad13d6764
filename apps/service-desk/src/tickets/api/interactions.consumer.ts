import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { EventEnvelope, InteractionRecorded, TOPICS } from '@meridian/events';
import { BatchEventPattern, BatchOutcome, BatchRecord, deadLetterReason } from '@meridian/events/kafka';
import { RecordInteractionsUseCase } from '../../customers/application/record-interactions.use-case';
import { RecordOptOutsUseCase } from '../../customers/application/record-opt-outs.use-case';
import { OpenTicketsUseCase } from '../application/open-tickets.use-case';
import { RecordSatisfactionUseCase } from '../application/record-satisfaction.use-case';
import { SurveyAnswer, surveyAnswer } from '../application/survey-answer';
import { TicketRequest, interactionTicketRequest } from '../application/ticket-request';

/**
 * service-desk's intake door: crm.interaction.v1 a run at a time. An InteractionRecorded of a
 * ticket kind opens its ticket (a repeat is a duplicate), any other kind is skipped — each is
 * kept among its customer's newest interactions for the agent's context; a record
 * that does not decode, or names no customer, is dead-lettered with its reason.
 */
@Controller()
export class InteractionsConsumer {
  constructor(
    private readonly open: OpenTicketsUseCase,
    private readonly satisfaction: RecordSatisfactionUseCase,
    private readonly optOuts: RecordOptOutsUseCase,
    private readonly interactions: RecordInteractionsUseCase,
  ) {}

  @BatchEventPattern([TOPICS.interaction])
  async onInteractions(@Payload() records: BatchRecord[]): Promise<BatchOutcome[]> {
    const outcomes: BatchOutcome[] = records.map(() => ({ status: 'skipped' }));
    const requests = new Map<number, TicketRequest>();
    const answers = new Map<number, SurveyAnswer>();
    const optOuts: EventEnvelope<InteractionRecorded>[] = [];
    const seen = new Map<number, EventEnvelope<InteractionRecorded>>();
    records.forEach((record, index) => {
      if (!record.decoded.ok) outcomes[index] = { status: 'rejected', reason: deadLetterReason(record.decoded) };
      else if (record.decoded.envelope.type === 'InteractionRecorded') {
        const envelope = record.decoded.envelope as EventEnvelope<InteractionRecorded>;
        seen.set(index, envelope);
        if (envelope.payload.kind === 'CAMPAIGN_OPTED_OUT') {
          optOuts.push(envelope);
          outcomes[index] = { status: 'applied' };
          return;
        }
        const asked = envelope.payload.kind === 'SURVEY_RESPONSE' ? surveyAnswer(envelope) : interactionTicketRequest(envelope);
        if (!('ticketId' in asked)) outcomes[index] = asked;
        else if ('kind' in asked) requests.set(index, asked);
        else answers.set(index, asked);
      }
    });
    // Opt-outs first (a survey decided later in the run must see them), answers after the openings (a replay may hold both).
    if (optOuts.length) await this.optOuts.execute(optOuts);
    if (requests.size) await this.opened(requests, outcomes);
    if (answers.size) {
      const recorded = await this.satisfaction.execute([...answers.values()]);
      [...answers.keys()].forEach((index, i) => (outcomes[index] = recorded[i]));
    }
    // The agent's context keeps every interaction of a customer the desk took, whatever its kind (no free text); a refused one is not theirs to show.
    const taken = [...seen].filter(([index]) => outcomes[index].status !== 'rejected').map(([, envelope]) => envelope);
    if (taken.length) await this.interactions.execute(taken);
    return outcomes;
  }

  private async opened(requests: Map<number, TicketRequest>, outcomes: BatchOutcome[]): Promise<void> {
    const answers = await this.open.execute([...requests.values()]);
    // The first request of a ticket that this run opened applied it; any other is a duplicate.
    const first = new Set<string>();
    for (const [index, r] of requests) {
      const applied = answers.get(r.ticketId)?.opened === true && !first.has(r.ticketId);
      first.add(r.ticketId);
      outcomes[index] = { status: applied ? 'applied' : 'duplicate' };
    }
  }
}

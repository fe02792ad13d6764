import { Injectable } from '@nestjs/common';
import { BatchOutcome } from '@meridian/events/kafka';
import { refusedRecord } from './refused-record';
import { Clock, mapLimit } from '@meridian/shared';
import { ServiceDeskConfig } from '../../config/service-desk.config';
import { transitionTicket } from '../domain/ticket-transitions';
import { SurveyAnswer } from './survey-answer';
import { TicketChanges } from './ticket-changes';
import { notBefore, stepWrite } from './ticket-step-write';

/**
 * The survey's answer (issue 11, point 6): recorded on the ticket it answers, once — the first
 * answer stands, a repeat is a duplicate — and published as SatisfactionRecorded, which profile
 * folds into the customer's latestCsat and latestNps. An answer to no ticket, to another
 * customer's, or to a ticket that sent no survey is refused with its reason (dead-lettered).
 */
@Injectable()
export class RecordSatisfactionUseCase {
  constructor(
    private readonly changes: TicketChanges,
    private readonly config: ServiceDeskConfig,
    private readonly clock: Clock,
  ) {}

  /** One outcome per answer, in order; a ticket's answers are taken in their order (the first stands), different tickets' side by side. */
  async execute(answers: readonly SurveyAnswer[]): Promise<BatchOutcome[]> {
    const byTicket = new Map<string, number[]>();
    answers.forEach((a, i) => byTicket.set(a.ticketId, [...(byTicket.get(a.ticketId) ?? []), i]));
    const outcomes: BatchOutcome[] = new Array(answers.length);
    await mapLimit([...byTicket.values()], 8, async (indexes) => {
      for (const i of indexes) outcomes[i] = await this.record(answers[i]);
    });
    return outcomes;
  }

  private async record(a: SurveyAnswer): Promise<BatchOutcome> {
    const change = await this.changes.change<BatchOutcome>(a.ticketId, (stored) => {
      if (stored.ticket.customerId !== a.customerId) return { answer: refusedRecord(`ticket ${a.ticketId} is not customer ${a.customerId}'s`, 'ticketId', 'isTicketOfCustomer') };
      // Recorded now (the step's instant is the service's, never the source system's clock); the event keeps when the customer answered.
      const outcome = transitionTicket(stored.ticket, { type: 'RECORD_SATISFACTION', ...(a.csat !== undefined && { csat: a.csat }), ...(a.nps !== undefined && { nps: a.nps }), interactionId: a.interactionId }, notBefore(this.clock.now(), stored.ticket), this.config.rules);
      if (!outcome.ok && outcome.refusal === 'ALREADY_ANSWERED') {
        // The same answer again is a duplicate; another answer is refused: the first one stands.
        return { answer: stored.ticket.satisfaction?.interactionId === a.interactionId ? { status: 'duplicate' } : refusedRecord(`ticket ${a.ticketId}'s survey was answered before: the first answer stands`, 'ticketId', 'isFirstAnswer') };
      }
      if (!outcome.ok) return { answer: refusedRecord(`ticket ${a.ticketId} sent no survey to answer`, 'ticketId', 'isSurveyedTicket') };
      return stepWrite(stored, [outcome], { status: 'applied' }, { occurredAt: a.at, correlationId: a.correlationId });
    });
    return change.found ? change.answer : refusedRecord(`there is no ticket ${a.ticketId}`, 'ticketId', 'isKnownTicket');
  }
}

import { BadRequestException, ConflictException, Injectable, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { MarketingChannel } from '@meridian/events';
import { Clock, Principal } from '@meridian/shared';
import { CustomerHolders } from '../../customers/application/customer-holders';
import { CustomerOptOuts } from '../../customers/application/ports/customer-opt-outs.port';
import { CustomerProfiles } from '../../customers/application/ports/customer-profiles.port';
import { surveyChannel } from '../domain/survey-channel';
import { ServiceDeskConfig } from '../../config/service-desk.config';
import { TicketPatch, planPatch, reachableStatuses } from '../domain/ticket-patch';
import { transitionTicket } from '../domain/ticket-transitions';
import { Ticket } from '../domain/ticket';
import { TicketBusyError } from './ports/ticket-locks.port';
import { StoredTicket, TicketStore } from './ports/ticket-store.port';
import { reachDueStages } from './due-stages';
import { SlaCalendars } from './sla-calendars';
import { TicketChanges, TicketDecision } from './ticket-changes';
import { AcceptedStep, notBefore, stepWrite } from './ticket-step-write';

/** 409: what the ticket is and what it can reach now (a reopen refused for its window cannot reach IN_PROGRESS either). */
const refusedHere = (ticket: Ticket, detail: string, refusal: string) =>
  new ConflictException({
    message: detail,
    extensions: { ticketId: ticket.ticketId, currentStatus: ticket.status, refusal, allowed: reachableStatuses(ticket.status).filter((s) => !(refusal === 'REOPEN_WINDOW_PASSED' && s === 'IN_PROGRESS')) },
  });

/**
 * PATCH /v1/tickets/{id} (issue 11, point 5): the status and/or assignee the caller wants, made
 * so by the state machine's commands, each recorded with who and when and published. A status
 * the ticket cannot reach from where it is answers 409 with the statuses it can; asking for
 * what the ticket already is changes nothing (200), so a retried PATCH is harmless.
 */
@Injectable()
export class TransitionTicketUseCase {
  constructor(
    private readonly changes: TicketChanges,
    private readonly tickets: TicketStore,
    private readonly profiles: CustomerProfiles,
    private readonly optOuts: CustomerOptOuts,
    private readonly holders: CustomerHolders,
    private readonly calendars: SlaCalendars,
    private readonly config: ServiceDeskConfig,
    private readonly clock: Clock,
  ) {}

  async execute(ticketId: string, patch: TicketPatch, by: Principal, correlationId?: string): Promise<StoredTicket> {
    const survey = patch.status === 'RESOLVED' ? await this.surveyFor(ticketId) : undefined;
    // The instant is read holding the lock, never before the ticket's last step: a request that waited for another is later than it.
    const change = await this.changes.change(ticketId, (stored) => this.decide(stored, patch, by, notBefore(this.clock.now(), stored.ticket), correlationId, survey)).catch((error: Error) => {
      throw error instanceof TicketBusyError ? new ServiceUnavailableException({ message: error.message }) : error;
    });
    if (!change.found) throw new NotFoundException({ message: `there is no ticket ${ticketId}` });
    return change.stored;
  }

  /** The PATCH as commands on the ticket's latest state: 400 when it asks nothing, 409 when the state machine refuses. */
  /**
   * DOMAIN.md: on RESOLVED, a satisfaction survey on the customer's consented channel — never one
   * they opted out of, never to an erased customer; once per ticket (the domain keeps the flag).
   * The customer's consents are the profile's, as this service kept them from ProfileUpdated.
   */
  private async surveyFor(ticketId: string): Promise<{ channel: MarketingChannel; messageId: string } | undefined> {
    const customerId = (await this.tickets.load([ticketId])).get(ticketId)?.ticket.customerId;
    if (!customerId) return undefined;
    // A merged customer is asked as the survivor who holds them now: their consents, and every opt-out of anyone they hold.
    const holder = await this.holders.of(customerId);
    const [profile, optOuts] = await Promise.all([this.profiles.get([holder.customerId]).then((m) => m.get(holder.customerId)), this.optOuts.get([...new Set([customerId, ...holder.owners])])]);
    const optedOut = [...new Set([...optOuts.values()].flat())];
    const decision = surveyChannel({ ...(profile?.consents && { consents: profile.consents }), optedOut, alreadyRequested: false }, this.config.rules.surveyChannelOrder);
    return decision.send ? { channel: decision.channel, messageId: `srv-${ticketId}` } : undefined;
  }

  private decide(stored: StoredTicket, patch: TicketPatch, by: Principal, now: Date, correlationId: string | undefined, survey?: { channel: MarketingChannel; messageId: string }): TicketDecision<undefined> {
    const ticketId = stored.ticket.ticketId;
    const plan = planPatch(stored.ticket, patch);
    if (!plan.ok && plan.reason === 'NOTHING_ASKED') throw new BadRequestException({ message: 'name a status, an assigneeId or a queue', errors: [{ field: 'status', rule: 'isDefined', message: 'status, assigneeId or queue must be given' }] });
    if (!plan.ok && plan.reason === 'NEEDS_ASSIGNEE') throw new BadRequestException({ message: `ticket ${ticketId} has no assignee: name one`, errors: [{ field: 'assigneeId', rule: 'isDefined', message: 'assigneeId must be given to assign an unassigned ticket' }] });
    if (!plan.ok) throw refusedHere(stored.ticket, `ticket ${ticketId} cannot go from ${stored.ticket.status} to ${patch.status}`, 'NOT_ALLOWED_IN_STATUS');
    // The stages due by now are reached first, as their jobs would have: the command meets the clocks as they stand.
    const caughtUp = reachDueStages(stored.ticket, now, this.config.rules, this.calendars);
    const steps: AcceptedStep[] = [...caughtUp.steps];
    let ticket = caughtUp.ticket;
    for (const command of plan.commands) {
      const outcome = transitionTicket(ticket, command.type === 'RESOLVE' && survey ? { ...command, survey } : command, now, this.config.rules, by.sub);
      if (!outcome.ok) throw refusedHere(stored.ticket, `ticket ${ticketId} refused ${command.type} in ${outcome.status}: ${outcome.refusal}`, outcome.refusal);
      steps.push(outcome);
      ticket = outcome.ticket;
    }
    return stepWrite(stored, steps, undefined, { occurredAt: now.toISOString(), ...(correlationId && { correlationId }) });
  }
}

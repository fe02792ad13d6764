import { Injectable, NotFoundException } from '@nestjs/common';
import { PiiAccessed, TOPICS } from '@meridian/events';
import { EventPublisher, newEnvelope } from '@meridian/events/kafka';
import { Clock, Principal, accessFor } from '@meridian/shared';
import { CustomerContexts } from '../../customers/application/ports/customer-contexts.port';
import { CustomerHolders } from '../../customers/application/customer-holders';
import { CustomerErasures } from '../../customers/application/ports/customer-erasures.port';
import { CustomerInteractions } from '../../customers/application/ports/customer-interactions.port';
import { CustomerProfiles } from '../../customers/application/ports/customer-profiles.port';
import { ServiceDeskConfig } from '../../config/service-desk.config';
import { StoredTicket, TicketStore } from './ports/ticket-store.port';
import { TicketWorkLists } from './ports/ticket-work-lists.port';
import { isOpenTicket } from '../domain/work-list';
import { TicketContext, unmaskedFields, withoutErasedText } from './ticket-context';

/**
 * One ticket by id (`_id`), or 404 naming it, with the customer's context for the agent
 * (issue 11, point 7): tier, branch, RM, open and recent tickets, recent interactions — each
 * read by key from what this service keeps of the events it consumes, for the customer who
 * holds the ticket's customer's records now (the survivor of a merge, with everyone merged in). Who may see it, and how
 * much, is the profile's rule (accessFor): the RM their own customers', the branch manager
 * their branch's, a teller their branch's masked; the service desk's agents work one bank-wide
 * queue and see any customer's ticket masked. A FULL view that shows in clear what a masked one
 * hides is announced as PiiAccessed (who, whom, which fields, why).
 */
@Injectable()
export class GetTicketUseCase {
  constructor(
    private readonly tickets: TicketStore,
    private readonly profiles: CustomerProfiles,
    private readonly contexts: CustomerContexts,
    private readonly interactions: CustomerInteractions,
    private readonly erasures: CustomerErasures,
    private readonly holders: CustomerHolders,
    private readonly workLists: TicketWorkLists,
    private readonly publisher: EventPublisher,
    private readonly config: ServiceDeskConfig,
    private readonly clock: Clock,
  ) {}

  async execute(ticketId: string, principal: Principal, purpose: string): Promise<{ stored: StoredTicket; context: TicketContext }> {
    const stored = (await this.tickets.load([ticketId])).get(ticketId);
    if (!stored) throw new NotFoundException({ title: 'no such ticket', detail: `there is no ticket ${ticketId}` });
    // The customer who holds the ticket's customer's records now: the survivor of a merge, with everyone merged into them.
    const holder = await this.holders.of(stored.ticket.customerId);
    const customerId = holder.customerId;
    const [profile, erased] = await Promise.all([this.profiles.get([customerId]).then((m) => m.get(customerId)), this.erasures.erased([...new Set([stored.ticket.customerId, ...holder.owners])])]);
    // Decided on the customer's branch and RM before anything else of theirs is read.
    const access = accessFor(principal, { branchId: profile?.branchId, rmId: profile?.rmId }, { maskedEverywhere: ['SERVICE_AGENT'] });
    const customerStatus = erased.has(customerId) ? 'ERASED' : (profile?.status ?? 'UNKNOWN');
    const limit = this.config.SERVICE_DESK_CONTEXT_TICKETS;
    const keep = this.config.SERVICE_DESK_CONTEXT_INTERACTIONS;
    const [tiers, filed, seen] = await Promise.all([
      this.contexts.tiers([customerId]),
      Promise.all(holder.owners.map((owner) => this.workLists.ofCustomer(owner, limit + 1))),
      customerStatus === 'ERASED' ? Promise.resolve([]) : Promise.all(holder.owners.map((owner) => this.interactions.recent(owner, keep))),
    ]);
    const loaded = await this.tickets.load(filed.flatMap((f) => [...f.open, ...f.done]).filter((id) => id !== ticketId));
    // As the tickets stand now (the lists follow each write), newest first across everyone the customer holds.
    const theirs = [...loaded.values()].map((s) => withoutErasedText(s.ticket, erased)).sort((a, b) => new Date(b.openedAt).getTime() - new Date(a.openedAt).getTime() || b.ticketId.localeCompare(a.ticketId));
    const recentInteractions = seen.flat().sort((a, b) => Date.parse(b.occurredAt) - Date.parse(a.occurredAt) || b.interactionId.localeCompare(a.interactionId)).slice(0, keep);
    const tier = customerStatus === 'ERASED' ? undefined : tiers.get(customerId);
    const context: TicketContext = {
      access,
      customerId,
      ...(holder.owners.length > 1 && { mergedFrom: holder.owners.slice(1) }),
      customerStatus,
      ...(tier && { tier }),
      ...(profile?.branchId && { branchId: profile.branchId }),
      ...(profile?.rmId && { rmId: profile.rmId }),
      openTickets: theirs.filter((t) => isOpenTicket(t)).slice(0, limit),
      recentTickets: theirs.filter((t) => !isOpenTicket(t)).slice(0, limit),
      recentInteractions,
    };
    const shown = { ...stored, ticket: withoutErasedText(stored.ticket, erased) };
    const fields = unmaskedFields(shown.ticket, context);
    if (fields.length) await this.audit(principal, customerId, fields, purpose);
    return { stored: shown, context };
  }

  private async audit(principal: Principal, customerId: string, fields: string[], purpose: string): Promise<void> {
    const payload: PiiAccessed = { actor: principal.sub, roles: principal.roles, customerId, fields, purpose: purpose.slice(0, 500) };
    await this.publisher.publish(TOPICS.governance, newEnvelope('PiiAccessed', payload, { source: 'meridian-service-desk', customerId, occurredAt: this.clock.now().toISOString() }));
  }
}

import { Injectable } from '@nestjs/common';
import { EnvelopeInit, TOPICS } from '@meridian/events';
import { EventPublisher, newEnvelope } from '@meridian/events/kafka';
import { Fence } from '@meridian/shared';
import { CampaignConfig } from '../../config/campaign.config';
import { AssignmentWanted, Lead, isOpen, rescore } from '../domain/lead';
import type { LeadScore } from '../domain/lead-score';
import { LeadIndex } from './ports/lead-index.port';
import { LeadLocks } from './ports/lead-locks.port';
import { LeadStore, StoredLead } from './ports/lead-store.port';
import { RmRoster } from './ports/rm-roster.port';

/** The customer a lead is about, as campaign keeps them. */
export interface LeadCustomer {
  customerId: string;
  branchId?: string;
  rmId?: string;
}

/** LeadAssigned of the lead's latest assignment, under an eventId of the lead and its assignment's number. */
function assignedEvent(lead: Lead): EnvelopeInit {
  return newEnvelope('LeadAssigned', { customerId: lead.customerId, leadId: lead.leadId, rmId: lead.rmId as string, score: lead.score }, { eventId: `${lead.leadId}-a${lead.assignments}`, source: 'meridian-campaign', customerId: lead.customerId, occurredAt: lead.assignedAt as string });
}

/**
 * How a customer's lead changes (issue 13, points 1–2), for the consumers' rescoring and the
 * roster's re-assignments alike: under the customer's lead lock, from the lead as stored, the
 * decision (rescore, or a move off an RM), the assignment in the roster's one atomic step, one
 * write carrying the LeadAssigned it brings (an embedded outbox), the index, then the announcement
 * and the outbox cleared. What an earlier write left unannounced goes first.
 */
@Injectable()
export class LeadChanges {
  constructor(
    private readonly store: LeadStore,
    private readonly locks: LeadLocks,
    private readonly roster: RmRoster,
    private readonly index: LeadIndex,
    private readonly publisher: EventPublisher,
    private readonly config: CampaignConfig,
  ) {}

  /** The lead after a new score of the customer at `at` (opened, rescored, assigned or moved to their own RM). */
  rescore(customer: LeadCustomer, scored: LeadScore, at: string): Promise<Lead | undefined> {
    return this.change(customer.customerId, (lead) => {
      const plan = rescore(lead, scored, customer, at, this.config.leads);
      return { lead: plan.lead, changed: plan.changed, assign: plan.assign, at };
    });
  }

  /** An unassigned lead offered again (an RM joined or came back): to the customer's own RM at or above ownRmAt, else the branch's least-loaded. */
  offer(customerId: string): Promise<Lead | undefined> {
    return this.change(customerId, (lead) => {
      if (lead?.status !== 'UNASSIGNED') return { lead, changed: false, at: lead?.scoredAt ?? '' };
      const plan = rescore(lead, { score: lead.score, factors: lead.factors }, { customerId, branchId: lead.branchId, rmId: lead.ownRmId }, lead.scoredAt, this.config.leads);
      return { lead: plan.lead, changed: false, assign: plan.assign, at: lead.scoredAt };
    });
  }

  /** The lead taken off `rmId` (absent, left the bank): to the branch's least-loaded other RM, or back to UNASSIGNED. */
  moveOff(customerId: string, rmId: string, at: string): Promise<Lead | undefined> {
    return this.change(customerId, (lead) => (isOpen(lead) && lead?.rmId === rmId ? { lead, changed: false, assign: { how: 'LEAST_LOADED', excluding: rmId }, at, orElseUnassign: true } : { lead, changed: false, at }));
  }

  /** An erased customer's lead forgotten (PIPL): out of its RM's count and every index, its document deleted. */
  forget(customerId: string): Promise<void> {
    return this.locks.hold(customerId, async (fence) => {
      const stored = (await this.store.load([customerId])).get(customerId);
      await this.roster.release(customerId);
      await this.index.file(undefined, stored?.lead);
      await fence();
      await this.store.delete(customerId);
    });
  }

  private change(customerId: string, decide: (lead?: Lead) => { lead?: Lead; changed: boolean; assign?: AssignmentWanted; at: string; orElseUnassign?: boolean }): Promise<Lead | undefined> {
    return this.locks.hold(customerId, async (fence) => {
      let stored = (await this.store.load([customerId])).get(customerId);
      if (stored?.pending.length) stored = await this.announce(stored, fence);
      const decision = decide(stored?.lead);
      let lead = decision.lead;
      if (!lead || (!decision.changed && !decision.assign)) return lead;
      const before = stored?.lead;
      let changed = decision.changed;
      const events: EnvelopeInit[] = [];
      if (decision.assign) {
        const got = lead.branchId || decision.assign.how === 'OWN_RM' ? await this.roster.assign(customerId, lead.branchId ?? '', decision.assign, this.config.leads.rmOpenLeadLimit) : undefined;
        if (got && got.rmId !== lead.rmId) {
          lead = { ...lead, status: lead.status === 'UNASSIGNED' ? 'ASSIGNED' : lead.status, rmId: got.rmId, assignedHow: got.how, assignedAt: decision.at, assignments: lead.assignments + 1 };
          events.push(assignedEvent(lead));
          changed = true;
        } else if (!got && decision.orElseUnassign) {
          await this.roster.release(customerId);
          lead = { ...lead, status: 'UNASSIGNED', rmId: undefined, assignedHow: undefined, assignedAt: undefined };
          changed = true;
        }
      }
      if (!changed) return lead;
      const next: StoredLead = { lead, rev: (stored?.rev ?? 0) + 1, pending: events };
      await fence();
      if (!(await this.store.write(next, stored?.rev ?? 0))) throw new Error(`the lead of ${customerId} changed under its lock (rev ${stored?.rev ?? 0})`);
      await this.index.file(lead, before);
      if (events.length) await this.announce(next, fence);
      return lead;
    });
  }

  /** Publishes what the write left pending, then clears it (rev + 1). */
  private async announce(stored: StoredLead, fence: Fence): Promise<StoredLead> {
    await this.publisher.publishAll(stored.pending.map((envelope) => ({ topic: TOPICS.campaign, envelope })));
    const cleared: StoredLead = { ...stored, rev: stored.rev + 1, pending: [] };
    await fence();
    if (!(await this.store.write(cleared, stored.rev))) throw new Error(`the lead of ${stored.lead.customerId} changed under its lock (rev ${stored.rev})`);
    return cleared;
  }
}

import { Injectable } from '@nestjs/common';
import type { EnvelopeInit } from '@meridian/events';
import { newEnvelope } from '@meridian/events/kafka';
import { Clock, Fence } from '@meridian/shared';
import { CampaignConfig } from '../../config/campaign.config';
import { AssignmentWanted, Lead, isOpen, rescore } from '../domain/lead';
import type { LeadScore } from '../domain/lead-score';
import { LeadIndex } from './ports/lead-index.port';
import { LeadLocks } from './ports/lead-locks.port';
import { LeadStore, StoredLead } from './ports/lead-store.port';
import { RmRoster } from './ports/rm-roster.port';
import { RmTaskWrites } from './rm-task-writes';
import { UnannouncedLeads } from './ports/unannounced-leads.port';

/** The customer a lead is about, as campaign keeps them. */
export interface LeadCustomer {
  customerId: string;
  branchId?: string;
  rmId?: string;
}

/** What a change decides of the lead as stored. */
type LeadDecide = (lead?: Lead) => { lead?: Lead; changed: boolean; assign?: AssignmentWanted; at: string; orElseUnassign?: boolean };

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
    private readonly tasks: RmTaskWrites,
    private readonly unannounced: UnannouncedLeads,
    private readonly clock: Clock,
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
  offer(customerId: string, at: string): Promise<Lead | undefined> {
    return this.change(customerId, (lead) => {
      if (lead?.status !== 'UNASSIGNED') return { lead, changed: false, at };
      const plan = rescore(lead, { score: lead.score, factors: lead.factors }, { customerId, branchId: lead.branchId, rmId: lead.ownRmId }, lead.scoredAt, this.config.leads);
      // Assigned now (its follow-up due from now), whenever it was scored.
      return { lead: plan.lead, changed: false, assign: plan.assign, at };
    });
  }

  /** The lead taken off `rmId` (absent, left the bank): to the branch's least-loaded other RM, or back to UNASSIGNED. */
  moveOff(customerId: string, rmId: string, at: string): Promise<Lead | undefined> {
    return this.change(customerId, (lead) => (isOpen(lead) && lead?.rmId === rmId ? { lead, changed: false, assign: { how: 'LEAST_LOADED', excluding: rmId }, at, orElseUnassign: true } : { lead, changed: false, at }));
  }

  /** An erased customer's lead forgotten (PIPL): out of its RM's count and every index, its document deleted; their tasks withdrawn from the work lists and deleted. */
  forget(customerId: string): Promise<void> {
    return this.locks.hold(customerId, async (fence) => {
      const stored = (await this.store.load([customerId])).get(customerId);
      await this.tasks.forgetCustomer(customerId, fence);
      await this.roster.release(customerId);
      await this.index.file(undefined, stored?.lead);
      await fence();
      await this.store.delete(customerId);
    });
  }

  /**
   * What an RM's outcome tells the lead, by a caller holding the customer's lead lock: contacted
   * (an assigned lead), converted or declined (closed: out of its RM's count, its other tasks
   * withdrawn). A lead closed already is left as it is.
   */
  async outcomeHeld(customerId: string, effect: 'CONTACTED' | 'CONVERTED' | 'DECLINED', at: string, fence: Fence, taskId: string): Promise<Lead | undefined> {
    const stored = (await this.store.load([customerId])).get(customerId);
    if (!stored) return undefined;
    if (!isOpen(stored.lead)) {
      // Closed by a step cut short after its write: what followed it is done again (each is idempotent).
      await this.roster.release(customerId);
      await this.index.file(stored.lead, stored.lead);
      return stored.lead;
    }
    if (effect === 'CONTACTED' && stored.lead.status === 'CONTACTED') return stored.lead;
    const lead: Lead = effect === 'CONTACTED' ? { ...stored.lead, status: 'CONTACTED' } : { ...stored.lead, status: effect, closedAt: at };
    const next: StoredLead = { ...stored, lead, rev: stored.rev + 1 };
    await fence();
    if (!(await this.store.write(next, stored.rev))) throw new Error(`the lead of ${customerId} changed under its lock (rev ${stored.rev})`);
    await this.index.file(lead, stored.lead);
    if (effect !== 'CONTACTED') {
      await this.roster.release(customerId);
      await this.tasks.withdrawOfLead(lead, fence, taskId);
    }
    return lead;
  }

  private change(customerId: string, decide: LeadDecide): Promise<Lead | undefined> {
    return this.locks.hold(customerId, (fence) => this.changeHeld(customerId, fence, decide));
  }

  /** The change itself, the customer's lead lock held: what the last write left pending announced first, then the decision assigned, written, filed and announced. */
  private async changeHeld(customerId: string, fence: Fence, decide: LeadDecide): Promise<Lead | undefined> {
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
        // Assigned when it is done, never before its event: an old event (a replay, a late batch) gives the RM a follow-up due from now.
        const now = this.clock.now().toISOString();
        const assignedAt = Date.parse(decision.at) > Date.parse(now) ? decision.at : now;
        lead = { ...lead, status: lead.status === 'UNASSIGNED' ? 'ASSIGNED' : lead.status, rmId: got.rmId, assignedHow: got.how, assignedAt, assignments: lead.assignments + 1 };
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
    if (events.length) await this.unannounced.mark(customerId, this.clock.now());
    try {
      await fence();
      if (!(await this.store.write(next, stored?.rev ?? 0))) throw new Error(`the lead of ${customerId} changed under its lock (rev ${stored?.rev ?? 0})`);
    } catch (error) {
      // A lead that held no RM before leaves none counted: its next rescoring assigns it afresh.
      if (events.length && !before?.rmId) await this.roster.release(customerId).catch(() => undefined);
      throw error;
    }
    await this.index.file(lead, before);
    if (events.length) await this.announce(next, fence);
    return lead;
  }

  /** What a write left unannounced (a crash after it, Kafka down) announced: by the settle job, for leads no change touches again. */
  settle(customerId: string): Promise<Lead | undefined> {
    return this.change(customerId, (lead) => ({ lead, changed: false, at: '' }));
  }

  /** Publishes what the write left pending — the LeadAssigned, then its follow-up task's RmTaskCreated — and clears it (rev + 1). */
  private async announce(stored: StoredLead, fence: Fence): Promise<StoredLead> {
    await this.tasks.followUp(stored.lead, stored.pending, fence);
    const cleared: StoredLead = { ...stored, rev: stored.rev + 1, pending: [] };
    await fence();
    if (!(await this.store.write(cleared, stored.rev))) throw new Error(`the lead of ${stored.lead.customerId} changed under its lock (rev ${stored.rev})`);
    await this.unannounced.unmark(stored.lead.customerId);
    return cleared;
  }
}

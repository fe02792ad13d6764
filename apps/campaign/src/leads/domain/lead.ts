import type { LeadFactor, LeadScore } from './lead-score';

/** A lead's standing (issue 13, points 2–3): open while UNASSIGNED, ASSIGNED or CONTACTED. */
export const LEAD_STATUSES = ['UNASSIGNED', 'ASSIGNED', 'CONTACTED', 'CONVERTED', 'DECLINED'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];
export const OPEN_LEAD_STATUSES: readonly LeadStatus[] = ['UNASSIGNED', 'ASSIGNED', 'CONTACTED'];

/** How a lead reached its RM. */
export type AssignedHow = 'OWN_RM' | 'LEAST_LOADED';

/** A customer's current lead: one open at a time; a closed one stays until the next opens. */
export interface Lead {
  leadId: string;
  customerId: string;
  /** The customer's leads so far, this one included. */
  number: number;
  status: LeadStatus;
  score: number;
  factors: LeadFactor[];
  /** The instant of the event the score was last computed on. */
  scoredAt: string;
  branchId?: string;
  /** The customer's own RM, as the profile names them. */
  ownRmId?: string;
  rmId?: string;
  assignedHow?: AssignedHow;
  assignedAt?: string;
  /** Assignments so far: each LeadAssigned is numbered by it. */
  assignments: number;
  openedAt: string;
  closedAt?: string;
}

export const isOpen = (lead?: Lead) => !!lead && OPEN_LEAD_STATUSES.includes(lead.status);
export const leadIdOf = (customerId: string, number: number) => `lead-${customerId}-${number}`;

/** Where a lead should go now: to whom, or to the branch's least-loaded RM; none when it stays where it is. */
export type AssignmentWanted = { how: 'OWN_RM'; rmId: string } | { how: 'LEAST_LOADED'; excluding?: string };

export interface Rescored {
  lead?: Lead;
  /** The lead changed (opened, rescored): it is to be written. */
  changed: boolean;
  assign?: AssignmentWanted;
}

/**
 * A customer's lead after a new score (issue 13, points 1–2), as data: a customer reaching the
 * qualifying score gets a lead (a closed one reopens only after `reopenAfterDays`); an open lead
 * takes the new score and factors (an older event's score never replaces a newer one's). Where it
 * goes: at or above `ownRmAt` to the customer's own RM, else to the branch's least-loaded RM with
 * capacity left — a lead still unassigned asks again each time it is rescored, and one the
 * branch's pool holds moves to the customer's own RM once it reaches `ownRmAt`.
 */
export function rescore(lead: Lead | undefined, scored: LeadScore, customer: { customerId: string; branchId?: string; rmId?: string }, at: string, rules: { qualifyAt: number; ownRmAt: number; reopenAfterDays: number }): Rescored {
  const own = (score: number): AssignmentWanted => (score >= rules.ownRmAt && customer.rmId ? { how: 'OWN_RM', rmId: customer.rmId } : { how: 'LEAST_LOADED' });
  if (!isOpen(lead)) {
    if (scored.score < rules.qualifyAt) return { lead, changed: false };
    if (lead?.closedAt && Date.parse(at) < Date.parse(lead.closedAt) + rules.reopenAfterDays * 86_400_000) return { lead, changed: false };
    const number = (lead?.number ?? 0) + 1;
    const opened: Lead = { leadId: leadIdOf(customer.customerId, number), customerId: customer.customerId, number, status: 'UNASSIGNED', score: scored.score, factors: scored.factors, scoredAt: at, branchId: customer.branchId, ownRmId: customer.rmId, assignments: 0, openedAt: at };
    return { lead: opened, changed: true, assign: own(scored.score) };
  }
  const current = lead as Lead;
  const newer = Date.parse(at) >= Date.parse(current.scoredAt);
  const next: Lead = newer ? { ...current, score: scored.score, factors: scored.factors, scoredAt: at, branchId: customer.branchId ?? current.branchId, ownRmId: customer.rmId } : current;
  const changed = newer && (next.score !== current.score || JSON.stringify(next.factors) !== JSON.stringify(current.factors) || next.branchId !== current.branchId || next.ownRmId !== current.ownRmId);
  if (next.status === 'UNASSIGNED') return { lead: next, changed, assign: own(next.score) };
  const wanted = own(next.score);
  if (wanted.how === 'OWN_RM' && next.rmId !== wanted.rmId) return { lead: next, changed, assign: wanted };
  // The pool had given it to the customer's own RM already: it is theirs now as their own customer's.
  if (wanted.how === 'OWN_RM' && next.assignedHow !== 'OWN_RM') return { lead: { ...next, assignedHow: 'OWN_RM' }, changed: true };
  return { lead: next, changed };
}

import type { Lead } from './lead';

/** What an RM is to do (RmTaskCreated's `kind`). */
export const RM_TASK_KINDS = ['LEAD_FOLLOW_UP', 'RETENTION_CALL', 'CAMPAIGN_CALL', 'ESCALATION'] as const;
export type RmTaskKind = (typeof RM_TASK_KINDS)[number];
/** How a call went, as the RM records it (issue 13, point 3). */
export const RM_TASK_OUTCOMES = ['CONTACTED', 'NOT_REACHABLE', 'CONVERTED', 'DECLINED'] as const;
export type RmTaskOutcome = (typeof RM_TASK_OUTCOMES)[number];

/** A task in an RM's work list. */
export interface RmTask {
  taskId: string;
  rmId: string;
  customerId: string;
  kind: RmTaskKind;
  dueAt: string;
  reason: string;
  /** What orders tasks due together: the lead's score, 100 for a retention call. */
  score: number;
  status: 'OPEN' | 'DONE' | 'WITHDRAWN';
  createdAt: string;
  leadId?: string;
  campaignId?: string;
  messageId?: string;
  /** An ESCALATION's overdue task. */
  escalates?: string;
  /** Set once the task ran past its due time and went to the RM's branch manager. */
  escalatedAt?: string;
  escalatedTo?: string;
  /** Calls that did not reach the customer. */
  attempts: number;
  outcome?: RmTaskOutcome;
  outcomeAt?: string;
  outcomeBy?: string;
  note?: string;
}

/** The numbers of DOMAIN.md's RM tasks (with the lead rules). */
export interface RmTaskRules {
  /** A lead's follow-up is due this many hours after its assignment: sooner for one of the own RM's customers (≥ 70). */
  followUpHours: number;
  ownRmFollowUpHours: number;
  /** A DIAMOND customer turning AT_RISK: the RM's retention call within this (DOMAIN.md: 24 h). */
  retentionCallHours: number;
  /** An escalation to the branch manager is due this many hours after it was raised. */
  escalationHours: number;
  /** A call that did not reach the customer is tried again this many hours later. */
  retryAfterHours: number;
}

export const DEFAULT_RM_TASK_RULES: RmTaskRules = { followUpHours: 120, ownRmFollowUpHours: 48, retentionCallHours: 24, escalationHours: 4, retryAfterHours: 24 };

const HOUR_MS = 3_600_000;
const later = (at: string, hours: number) => new Date(Date.parse(at) + hours * HOUR_MS).toISOString();

/** The follow-up of a lead just assigned: to its RM, due by the lead's standing; one a lead and assignment. */
export function followUpOf(lead: Lead, rules: RmTaskRules): RmTask {
  const at = lead.assignedAt as string;
  const why = lead.factors.map((f) => f.detail).join('; ');
  return {
    taskId: `task-${lead.leadId}-a${lead.assignments}`,
    rmId: lead.rmId as string,
    customerId: lead.customerId,
    kind: 'LEAD_FOLLOW_UP',
    dueAt: later(at, lead.assignedHow === 'OWN_RM' ? rules.ownRmFollowUpHours : rules.followUpHours),
    reason: `lead ${lead.score}: ${why}`.slice(0, 500),
    score: lead.score,
    status: 'OPEN',
    createdAt: at,
    leadId: lead.leadId,
    attempts: 0,
  };
}

/** DOMAIN.md: a DIAMOND customer turning AT_RISK gets a dedicated RM task within 24 h — one a stage change (its event). */
export function retentionCallOf(change: { customerId: string; eventId: string; at: string; reason?: string }, rmId: string, rules: RmTaskRules): RmTask {
  return {
    taskId: `task-ret-${change.eventId}`,
    rmId,
    customerId: change.customerId,
    kind: 'RETENTION_CALL',
    dueAt: later(change.at, rules.retentionCallHours),
    reason: `DIAMOND customer turned AT_RISK${change.reason ? `: ${change.reason}` : ''}`.slice(0, 500),
    score: 100,
    status: 'OPEN',
    createdAt: change.at,
    attempts: 0,
  };
}

/** An open task past its due time by `asOf`, not escalated yet: to the RM's branch manager (issue 13, point 3). */
export const isOverdue = (task: RmTask, asOf: string) => task.status === 'OPEN' && task.kind !== 'ESCALATION' && !task.escalatedAt && Date.parse(task.dueAt) <= Date.parse(asOf);

/** The overdue task marked escalated, and the branch manager's task that says so (dated at its due time: when it fell overdue). */
export function escalationOf(task: RmTask, managerId: string, asOf: string, rules: RmTaskRules): { task: RmTask; escalation: RmTask } {
  // Dated when it fell overdue, whenever the job ran; never later than the run's instant.
  const at = Date.parse(asOf) < Date.parse(task.dueAt) ? asOf : task.dueAt;
  return {
    task: { ...task, escalatedAt: at, escalatedTo: managerId },
    escalation: { taskId: `${task.taskId}-esc`, rmId: managerId, customerId: task.customerId, kind: 'ESCALATION', dueAt: later(at, rules.escalationHours), reason: `overdue since ${task.dueAt} (${task.rmId}): ${task.reason}`.slice(0, 500), score: task.score, status: 'OPEN', createdAt: at, escalates: task.taskId, ...(task.leadId && { leadId: task.leadId }), attempts: 0 },
  };
}

/** What an outcome does: the task's new state, what it tells the lead, and the campaign funnel's responses (a campaign call's). */
export interface OutcomeEffects {
  task: RmTask;
  lead?: 'CONTACTED' | 'CONVERTED' | 'DECLINED';
  responses: Array<'delivered' | 'opened' | 'clicked'>;
}

/**
 * An RM's outcome (issue 13, point 3), fed back: CONTACTED, CONVERTED and DECLINED close the task
 * and move its lead (contacted; converted or declined: closed); NOT_REACHABLE keeps it open, due
 * again `retryAfterHours` later. A campaign's call counts on the campaign's funnel as a message the
 * customer got (delivered, opened) — converted, as one acted on (clicked); the conversion itself is
 * credited by its goal event, as any message's.
 */
export function outcomeOf(task: RmTask, outcome: RmTaskOutcome, at: string, by: string, note: string | undefined, rules: RmTaskRules): OutcomeEffects {
  const recorded = { ...task, outcome, outcomeAt: at, outcomeBy: by, ...(note !== undefined && { note }) };
  // Not reached: tried again later; a task escalated already stays escalated (once).
  if (outcome === 'NOT_REACHABLE') return { task: { ...recorded, attempts: task.attempts + 1, dueAt: later(at, rules.retryAfterHours) }, responses: [] };
  const responses: OutcomeEffects['responses'] = task.kind === 'CAMPAIGN_CALL' ? ['delivered', 'opened', ...(outcome === 'CONVERTED' ? (['clicked'] as const) : [])] : [];
  return { task: { ...recorded, status: 'DONE' }, lead: task.leadId ? outcome : undefined, responses };
}

/** The work list's order: due time first, then the higher score (one number, exact in a double: ms × 1,000 + 100 − score). */
export const workListRank = (task: Pick<RmTask, 'dueAt' | 'score'>) => Date.parse(task.dueAt) * 1_000 + (100 - Math.max(0, Math.min(100, task.score)));

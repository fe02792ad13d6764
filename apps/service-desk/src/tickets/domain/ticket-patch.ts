import { TicketQueue } from '@meridian/events';
import { ALLOWED_COMMANDS, TicketCommand, TicketCommandType } from './ticket-transitions';
import { TICKET_STATUSES, Ticket, TicketStatus } from './ticket';

/** What a PATCH asks of a ticket: the status it should reach, and/or who should hold it (and in which queue). */
export interface TicketPatch {
  status?: TicketStatus;
  assigneeId?: string;
  queue?: TicketQueue;
  /** The resolution's note (status RESOLVED). */
  resolution?: string;
  /** Why it reopens (status IN_PROGRESS from RESOLVED). */
  reason?: string;
}

/** The status each command reaches (ASSIGN reaches ASSIGNED from NEW only; elsewhere it keeps the status). */
const REACHES: Record<Exclude<TicketCommandType, 'SLA_STAGE_REACHED' | 'RECORD_SATISFACTION' | 'ASSIGN'>, TicketStatus> = {
  START: 'IN_PROGRESS',
  AWAIT_CUSTOMER: 'PENDING_CUSTOMER',
  CUSTOMER_REPLIED: 'IN_PROGRESS',
  RESOLVE: 'RESOLVED',
  CLOSE: 'CLOSED',
  REOPEN: 'IN_PROGRESS',
};

/** The statuses a PATCH may ask for from `status` (what a 409 lists), in the state machine's order. */
export function reachableStatuses(status: TicketStatus): TicketStatus[] {
  const reached = new Set(ALLOWED_COMMANDS[status].map((c) => (c === 'ASSIGN' ? (status === 'NEW' ? 'ASSIGNED' : status) : REACHES[c as keyof typeof REACHES])));
  reached.delete(status);
  return TICKET_STATUSES.filter((s) => reached.has(s));
}

export type PatchPlan = { ok: true; commands: TicketCommand[] } | { ok: false; reason: 'NOTHING_ASKED' | 'NEEDS_ASSIGNEE' | 'NO_SUCH_TRANSITION' };

/**
 * The commands a PATCH stands for, from the ticket's current state (a desired state, so the same
 * PATCH again asks nothing): first the (re)assignment when it names another agent or queue, then
 * the one command that reaches the status asked for. A status the ticket cannot reach in one step
 * is NO_SUCH_TRANSITION (409 with reachableStatuses); ASSIGNED from NEW needs an assignee.
 */
export function planPatch(ticket: Ticket, patch: TicketPatch): PatchPlan {
  if (patch.status === undefined && patch.assigneeId === undefined && patch.queue === undefined) return { ok: false, reason: 'NOTHING_ASKED' };
  const commands: TicketCommand[] = [];
  const assigneeId = patch.assigneeId ?? ticket.assigneeId;
  const reassigning = (patch.assigneeId !== undefined && patch.assigneeId !== ticket.assigneeId) || (patch.queue !== undefined && patch.queue !== ticket.queue);
  if (reassigning) {
    if (assigneeId === undefined) return { ok: false, reason: 'NEEDS_ASSIGNEE' };
    commands.push({ type: 'ASSIGN', assigneeId, ...(patch.queue !== undefined && { queue: patch.queue }) });
  }
  const from: TicketStatus = reassigning && ticket.status === 'NEW' ? 'ASSIGNED' : ticket.status;
  const to = patch.status;
  if (to === undefined || to === from) return { ok: true, commands };
  if (to === 'ASSIGNED') return { ok: false, reason: from === 'NEW' ? 'NEEDS_ASSIGNEE' : 'NO_SUCH_TRANSITION' };
  const command = ALLOWED_COMMANDS[from].find((c) => c !== 'ASSIGN' && REACHES[c as keyof typeof REACHES] === to);
  if (!command) return { ok: false, reason: 'NO_SUCH_TRANSITION' };
  if (command === 'RESOLVE') commands.push({ type: 'RESOLVE', ...(patch.resolution !== undefined && { resolution: patch.resolution }) });
  else if (command === 'REOPEN') commands.push({ type: 'REOPEN', ...(patch.reason !== undefined && { reason: patch.reason }) });
  else commands.push({ type: command } as TicketCommand);
  return { ok: true, commands };
}

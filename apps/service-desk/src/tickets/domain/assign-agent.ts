import { TicketQueue } from '@meridian/events';

/** An agent as the assignment sees them: the queues they serve, how many open tickets they may hold, and hold. */
export interface AgentLoad {
  agentId: string;
  queues: readonly TicketQueue[];
  /** Open tickets (ASSIGNED, IN_PROGRESS, PENDING_CUSTOMER) the agent may hold at once. */
  capacity: number;
  openTickets: number;
  /** Tickets assigned to the agent in the current period (the tie-break: spread new work). */
  assignedInPeriod: number;
  /** On shift and accepting work. */
  available: boolean;
}

export type AgentAssignment =
  | { assigned: true; agentId: string }
  /** The ticket stays NEW and unassigned; the reason says why (the application retries when an agent frees up). */
  | { assigned: false; reason: 'NO_AGENT_FOR_QUEUE' | 'NONE_AVAILABLE' | 'ALL_AT_CAPACITY' };

/**
 * The least-loaded available agent of the queue (issue 11): an agent at capacity is skipped;
 * ties go to the fewest assigned in the period, then the smaller agent id (so the answer
 * does not depend on the order agents were listed in).
 */
export function assignAgent(queue: TicketQueue, agents: readonly AgentLoad[]): AgentAssignment {
  const ofQueue = agents.filter((a) => a.queues.includes(queue));
  if (ofQueue.length === 0) return { assigned: false, reason: 'NO_AGENT_FOR_QUEUE' };
  const available = ofQueue.filter((a) => a.available);
  if (available.length === 0) return { assigned: false, reason: 'NONE_AVAILABLE' };
  const withRoom = available.filter((a) => a.openTickets < a.capacity);
  if (withRoom.length === 0) return { assigned: false, reason: 'ALL_AT_CAPACITY' };
  const [best] = [...withRoom].sort((a, b) => a.openTickets - b.openTickets || a.assignedInPeriod - b.assignedInPeriod || (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0));
  return { assigned: true, agentId: best.agentId };
}

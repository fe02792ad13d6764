import { Injectable, Logger } from '@nestjs/common';
import { TICKET_QUEUES } from '@meridian/events';
import { Clock } from '@meridian/shared';
import { AgentRoster } from '../../agents/application/ports/agent-roster.port';
import { ServiceDeskConfig } from '../../config/service-desk.config';
import { AgentLoad, assignAgent } from '../domain/assign-agent';
import { transitionTicket } from '../domain/ticket-transitions';
import { AssignmentRuns } from './ports/assignment-runs.port';
import { TicketBusyError } from './ports/ticket-locks.port';
import { TicketWorkLists } from './ports/ticket-work-lists.port';
import { reachDueStages } from './due-stages';
import { SlaCalendars } from './sla-calendars';
import { TicketChanges } from './ticket-changes';
import { stepWrite } from './ticket-step-write';

/** Tickets one run assigns per queue at most (a run every few seconds). */
const PER_QUEUE = 200;

/**
 * The assignment (issue 11, point 5): every few seconds, one instance hands each queue's NEW
 * tickets — P1 first, oldest first, from the work lists — to the least-loaded available agent of
 * the queue with room under their capacity (assign-agent.ts), counting what this run assigned. A
 * ticket an agent took meanwhile is left as it is. A queue with no agent, or none with room,
 * keeps its tickets NEW until one frees up (a ticket resolved, an agent back on shift).
 */
@Injectable()
export class AssignBacklogUseCase {
  private readonly logger = new Logger('AssignBacklog');

  constructor(
    private readonly roster: AgentRoster,
    private readonly workLists: TicketWorkLists,
    private readonly changes: TicketChanges,
    private readonly runs: AssignmentRuns,
    private readonly calendars: SlaCalendars,
    private readonly config: ServiceDeskConfig,
    private readonly clock: Clock,
  ) {}

  async execute(): Promise<number> {
    return (await this.runs.alone((fence) => this.run(fence))) ?? 0;
  }

  private async run(fence: () => Promise<void>): Promise<number> {
    const agents = (await this.roster.all()).filter((a) => a.available && a.capacity > 0);
    if (!agents.length) return 0;
    const held = await this.workLists.agentLoads();
    const loads: AgentLoad[] = agents.map((a) => ({ ...a, openTickets: held.get(a.agentId) ?? 0, assignedInPeriod: 0 }));
    let assigned = 0;
    for (const queue of TICKET_QUEUES) {
      const room = loads.filter((a) => a.queues.includes(queue)).reduce((sum, a) => sum + Math.max(0, a.capacity - a.openTickets), 0);
      if (room === 0) continue;
      const backlog = await this.workLists.page({ queues: [queue], statuses: ['NEW'], priorities: [] }, Math.min(room, PER_QUEUE));
      for (const ticketId of backlog.ticketIds) {
        const pick = assignAgent(queue, loads);
        if (!pick.assigned) break;
        await fence();
        if (!(await this.assign(ticketId, queue, pick.agentId))) continue;
        const agent = loads.find((a) => a.agentId === pick.agentId) as AgentLoad;
        agent.openTickets++;
        agent.assignedInPeriod++;
        assigned++;
      }
    }
    return assigned;
  }

  /** Assigns the ticket if it is still NEW in that queue; false when it moved on (or another request holds it). */
  private async assign(ticketId: string, queue: string, agentId: string): Promise<boolean> {
    try {
      const change = await this.changes.change(ticketId, (stored) => {
        if (stored.ticket.status !== 'NEW' || stored.ticket.queue !== queue) return { answer: false };
        const now = this.clock.now();
        // As every change does, the stages due by now are reached first.
        const caughtUp = reachDueStages(stored.ticket, now, this.config.rules, this.calendars);
        const outcome = transitionTicket(caughtUp.ticket, { type: 'ASSIGN', assigneeId: agentId }, now, this.config.rules);
        return outcome.ok ? stepWrite(stored, [...caughtUp.steps, outcome], true, { occurredAt: now.toISOString() }) : { answer: false };
      });
      return change.found && change.answer;
    } catch (error) {
      if (!(error instanceof TicketBusyError)) this.logger.warn(`ticket ${ticketId} not assigned this run: ${(error as Error).message}`);
      return false;
    }
  }
}

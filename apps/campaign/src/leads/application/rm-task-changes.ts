import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { ResponseCounters } from '../../campaigns/application/ports/response-counters.port';
import { CampaignConfig } from '../../config/campaign.config';
import { RmTask, RmTaskOutcome, escalationOf, isOverdue, outcomeOf } from '../domain/rm-task';
import { LeadChanges } from './lead-changes';
import { LeadLocks } from './ports/lead-locks.port';
import { RmRoster } from './ports/rm-roster.port';
import { RmTaskWrites } from './rm-task-writes';

/**
 * How RM tasks change (issue 13, point 3), each under its customer's lead lock: a task created (a
 * DIAMOND customer's retention call, a campaign's call), an RM's outcome fed back into the task,
 * the lead and the campaign's funnel, and an overdue task escalated to the RM's branch manager.
 */
@Injectable()
export class RmTaskChanges {
  constructor(
    private readonly locks: LeadLocks,
    private readonly writes: RmTaskWrites,
    private readonly leads: LeadChanges,
    private readonly roster: RmRoster,
    private readonly responses: ResponseCounters,
    private readonly config: CampaignConfig,
  ) {}

  /** A new task of the customer (stored already: left as it is, announced again while open). */
  create(task: RmTask): Promise<RmTask> {
    return this.locks.hold(task.customerId, async (fence) => (await this.writes.create([task], fence))[0]);
  }

  /** The RM's outcome of an open task of theirs; 404 for no such task of theirs, 409 for one not open. */
  recordOutcome(rmId: string, taskId: string, customerId: string, outcome: RmTaskOutcome, note: string | undefined, by: string, at: string): Promise<RmTask> {
    return this.locks.hold(customerId, async (fence) => {
      const task = (await this.writes.load([taskId])).get(taskId);
      if (!task || task.rmId !== rmId) throw new NotFoundException(`no task ${taskId} in the work list of ${rmId}`);
      if (task.status !== 'OPEN') throw new ConflictException({ message: `task ${taskId} is ${task.status}`, extensions: { taskId, status: task.status, outcome: task.outcome } });
      const effects = outcomeOf(task, outcome, at, by, note, this.config.rmTasks);
      // The lead and the funnel first, the task last: a step cut short is retried (the task still OPEN), and both are idempotent.
      if (effects.lead) await this.leads.outcomeHeld(task.customerId, effects.lead, at, fence, taskId);
      if (task.campaignId && task.messageId) await this.responses.record(effects.responses.map((kind) => ({ campaignId: task.campaignId as string, messageId: task.messageId as string, kind })));
      // Done: its escalation, if it had one, is no longer the branch manager's to chase.
      const escalation = effects.task.status === 'DONE' && task.escalatedAt ? (await this.writes.load([`${taskId}-esc`])).get(`${taskId}-esc`) : undefined;
      await this.writes.update([effects.task, ...(escalation?.status === 'OPEN' ? [{ ...escalation, status: 'WITHDRAWN' as const }] : [])], fence);
      return effects.task;
    });
  }

  /** An overdue task escalated to its RM's branch manager (a task of theirs, RmTaskCreated); false when it is not overdue (any more) or names no manager. */
  escalate(taskId: string, customerId: string, asOf: string): Promise<'ESCALATED' | 'NOT_DUE' | 'NO_MANAGER'> {
    return this.locks.hold(customerId, async (fence) => {
      const task = (await this.writes.load([taskId])).get(taskId);
      if (!task || !isOverdue(task, asOf)) {
        if (task) await this.writes.update([task], fence);
        return 'NOT_DUE';
      }
      const managerId = (await this.roster.get(task.rmId))?.managerId;
      if (!managerId) {
        // Looked at again in an hour (the roster may name one by then), not at every run.
        await this.writes.postponeDue(task, new Date(Date.parse(asOf) + 3_600_000));
        return 'NO_MANAGER';
      }
      const { task: marked, escalation } = escalationOf(task, managerId, asOf, this.config.rmTasks);
      // The escalation first (idempotent by its id), then the task marked: a step cut short leaves the task due, and the next run finishes it.
      await this.writes.create([escalation], fence);
      await this.writes.update([marked], fence);
      return 'ESCALATED';
    });
  }
}

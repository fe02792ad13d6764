import { Injectable, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { Clock, Principal } from '@meridian/shared';
import type { RmTask, RmTaskOutcome } from '../domain/rm-task';
import { LeadBusyError } from './ports/lead-locks.port';
import { RmTaskStore } from './ports/rm-task-store.port';
import { RmTaskChanges } from './rm-task-changes';
import { RmWorkListUseCase } from './rm-work-list.use-case';

/**
 * POST /v1/rm/{rmId}/tasks/{taskId}/outcome (issue 13, point 3): how the call went — contacted,
 * not reachable, converted, declined — recorded by the RM (or their branch manager) and fed back
 * into the task, its lead and its campaign's funnel.
 */
@Injectable()
export class RecordOutcomeUseCase {
  constructor(
    private readonly store: RmTaskStore,
    private readonly reach: RmWorkListUseCase,
    private readonly changes: RmTaskChanges,
    private readonly clock: Clock,
  ) {}

  async execute(rmId: string, taskId: string, outcome: { outcome: RmTaskOutcome; note?: string }, caller: Principal): Promise<RmTask> {
    await this.reach.checkReach(rmId, caller);
    const task = (await this.store.load([taskId])).get(taskId);
    if (!task || task.rmId !== rmId) throw new NotFoundException(`no task ${taskId} in the work list of ${rmId}`);
    return this.changes.recordOutcome(rmId, taskId, task.customerId, outcome.outcome, outcome.note, caller.sub, this.clock.now().toISOString()).catch((error: Error) => {
      throw error instanceof LeadBusyError ? new ServiceUnavailableException({ message: error.message }) : error;
    });
  }
}

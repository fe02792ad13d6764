import { Injectable, Logger } from '@nestjs/common';
import { mapLimit } from '@meridian/shared';
import { RmTaskStore, RmWorkLists } from './ports/rm-task-store.port';
import { RmTaskChanges } from './rm-task-changes';

export interface EscalationRun {
  asOf: string;
  /** Tasks due by then that were looked at; escalated to a branch manager; left for the next run (no manager on the roster, a store down). */
  due: number;
  escalated: number;
  left: number;
}

const STEP = 200;

/**
 * Issue 13, point 3: an RM task still open past its due time escalates to the RM's branch manager
 * (the roster's `managerId`), read from the due index, never by scanning tasks — every few minutes
 * on one instance, or as of an explicit instant through `POST /v1/rm-tasks/escalations {asOf}`.
 */
@Injectable()
export class EscalateTasksUseCase {
  private readonly logger = new Logger('EscalateTasks');

  constructor(
    private readonly lists: RmWorkLists,
    private readonly store: RmTaskStore,
    private readonly changes: RmTaskChanges,
  ) {}

  async execute(asOf: Date): Promise<EscalationRun> {
    const run: EscalationRun = { asOf: asOf.toISOString(), due: 0, escalated: 0, left: 0 };
    const left = new Set<string>();
    for (;;) {
      const due = (await this.lists.dueBy(asOf, STEP + left.size)).filter((id) => !left.has(id));
      if (!due.length) return run;
      const tasks = await this.store.load(due);
      await mapLimit(due, 8, async (taskId) => {
        run.due += 1;
        const task = tasks.get(taskId);
        // Filed but not stored (its write never landed, or an erasure raced it): passed over this run.
        if (!task) return void left.add(taskId);
        try {
          const outcome = await this.changes.escalate(taskId, task.customerId, run.asOf);
          if (outcome === 'ESCALATED') run.escalated += 1;
          if (outcome === 'NO_MANAGER') {
            left.add(taskId);
            this.logger.warn(`task ${taskId} of ${task.rmId} is overdue and the roster names no branch manager of theirs: not escalated`);
          }
        } catch (error) {
          left.add(taskId);
          this.logger.warn(`task ${taskId} not escalated this run: ${(error as Error).message}`);
        }
      });
      run.left = left.size;
    }
  }
}

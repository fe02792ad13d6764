import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { Principal, hasAnyRole } from '@meridian/shared';
import type { RmTask } from '../domain/rm-task';
import { RmRoster } from './ports/rm-roster.port';
import { RmTaskStore, RmWorkLists } from './ports/rm-task-store.port';

export interface WorkListPage {
  rmId: string;
  tasks: RmTask[];
  total: number;
  next?: string;
}

/**
 * GET /v1/rm/{rmId}/tasks (issue 13, point 3): the RM's open tasks, first due first, then the
 * higher score; paged. The RM themselves, their branch manager (the RM's branch on the roster),
 * or an administrator.
 */
@Injectable()
export class RmWorkListUseCase {
  constructor(
    private readonly lists: RmWorkLists,
    private readonly store: RmTaskStore,
    private readonly roster: RmRoster,
  ) {}

  async execute(rmId: string, caller: Principal, page: { limit: number; offset: number }): Promise<WorkListPage> {
    await this.checkReach(rmId, caller);
    const { taskIds, total } = await this.lists.page(rmId, page.offset, page.limit);
    const stored = await this.store.load(taskIds);
    const tasks = taskIds.flatMap((id) => stored.get(id) ?? []);
    const reached = page.offset + taskIds.length;
    return { rmId, tasks, total, ...(reached < total && { next: String(reached) }) };
  }

  /** The RM themselves, their branch manager, an administrator; others 403 (an RM the roster does not know: 404 for a manager). */
  async checkReach(rmId: string, caller: Principal): Promise<void> {
    // Their own list: an RM's, or a branch manager's (their escalations).
    if (hasAnyRole(caller, ['ADMIN']) || (hasAnyRole(caller, ['RM', 'BRANCH_MANAGER']) && caller.sub === rmId)) return;
    if (!caller.roles.includes('BRANCH_MANAGER')) throw new ForbiddenException(`the work list of ${rmId} is theirs and their branch manager's`);
    const rm = await this.roster.get(rmId);
    if (!rm) throw new NotFoundException(`no RM ${rmId} on the roster`);
    if (rm.branchId !== caller.branchId) throw new ForbiddenException(`${rmId} is not of your branch`);
  }
}

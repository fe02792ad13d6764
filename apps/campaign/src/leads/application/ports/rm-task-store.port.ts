import type { RmTask } from '../../domain/rm-task';

/** RM tasks in MongoDB by `_id` = taskId (ADR 0005), written under their customer's lead lock. */
export abstract class RmTaskStore {
  abstract load(taskIds: readonly string[]): Promise<Map<string, RmTask>>;
  abstract put(tasks: readonly RmTask[]): Promise<void>;
  abstract delete(taskIds: readonly string[]): Promise<void>;
}

/**
 * The RMs' work lists and the tasks' due index (Redis sorted sets): an RM's open tasks by due time
 * then score (workListRank), and the open tasks not yet escalated by due time — what the
 * escalation reads, never a scan.
 */
export abstract class RmWorkLists {
  /** Files each task as it is now: in its RM's list while OPEN, in the due index while it can still fall overdue. */
  abstract file(tasks: readonly RmTask[]): Promise<void>;
  /** A page of the RM's open tasks, first due first: their ids, from `offset`. */
  abstract page(rmId: string, offset: number, limit: number): Promise<{ taskIds: string[]; total: number }>;
  /** The customer's tasks, whatever their state (each filed task is also filed by its customer). */
  abstract ofCustomer(customerId: string): Promise<string[]>;
  /** The customer's tasks out of every list (PIPL: an erased customer's). */
  abstract forgetCustomer(customerId: string, tasks: readonly RmTask[]): Promise<void>;
  /** The task looked at by the escalation again only from `until`. */
  abstract postponeDue(taskId: string, until: Date): Promise<void>;
  /** Tasks due by `asOf` (and not escalated), first due first, at most `limit`. */
  abstract dueBy(asOf: Date, limit: number): Promise<string[]>;
}

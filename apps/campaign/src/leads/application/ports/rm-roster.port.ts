import type { AssignedHow, AssignmentWanted } from '../../domain/lead';

export const RM_STATUSES = ['ACTIVE', 'ABSENT', 'LEFT'] as const;
export type RmStatus = (typeof RM_STATUSES)[number];

/** A relationship manager as the roster keeps them: their branch, their open-lead limit (none: the rules' default), whether they take leads. */
export interface RosterRm {
  rmId: string;
  branchId: string;
  capacity?: number;
  status: RmStatus;
  /** Their branch manager: whom their overdue tasks escalate to. */
  managerId?: string;
}

/**
 * The RMs and their open leads, atomically (Redis): an assignment picks and counts in one step, so
 * two leads racing for an RM's last slot never both land there (issue 13, point 2).
 */
export abstract class RmRoster {
  /**
   * Gives the customer's lead to whom `wanted` says: their own RM while ACTIVE (whatever their load:
   * the customer is theirs), else the branch's ACTIVE RM with the fewest open leads below their limit
   * (ties by id), `excluding` one; moves it from the RM holding it before. Undefined: none can take it.
   */
  abstract assign(customerId: string, branchId: string, wanted: AssignmentWanted, defaultCapacity: number): Promise<{ rmId: string; how: AssignedHow } | undefined>;
  /** The lead no longer counts against its RM (closed, or nobody could take it over). */
  abstract release(customerId: string): Promise<void>;
  abstract put(rm: RosterRm): Promise<void>;
  abstract get(rmId: string): Promise<RosterRm | undefined>;
  /** The roster, a branch's or all, each with their open leads. */
  abstract list(branchId?: string): Promise<Array<RosterRm & { openLeads: number }>>;
  /** The customers whose open leads the RM holds. */
  abstract leadsOf(rmId: string): Promise<string[]>;
}

/** The roster's lasting copy (MongoDB `rms`, by `_id`): what Redis's is filled from when it has none. */
export abstract class RmDirectory {
  abstract put(rm: RosterRm): Promise<void>;
  abstract all(): Promise<RosterRm[]>;
}

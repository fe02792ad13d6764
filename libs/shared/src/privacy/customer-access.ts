import { ForbiddenException } from '@nestjs/common';
import type { Role } from '@meridian/events';
import type { Principal } from '../auth/principal';

/**
 * How much of one customer a caller sees (DOMAIN.md security): FULL (RM for their own
 * customers, BRANCH_MANAGER for their branch, ADMIN), MASKED (TELLER and SERVICE_AGENT, in
 * their branch: masked PII, no balances). Everyone else is refused: EXECUTIVE and MARKETING
 * see aggregates only, never a single customer. Decided on the customer's clear branch and
 * RM, before anything is opened. Every service that shows one customer decides it here.
 */
export type Access = 'FULL' | 'MASKED';

/** Whose customer this is: the branch and RM the profile names (absent: not known). */
export interface CustomerOwner {
  branchId?: string;
  rmId?: string;
}

export interface AccessOptions {
  /**
   * Roles that see the customers of every branch MASKED, beyond their own: the service desk's
   * agents work one bank-wide queue, as a call centre does (a teller's desk is not widened).
   */
  maskedEverywhere?: readonly Role[];
}

export function accessFor(principal: Principal, owner: CustomerOwner, options: AccessOptions = {}): Access {
  const has = (r: Role) => principal.roles.includes(r);
  if (has('ADMIN')) return 'FULL';
  if (has('RM') && owner.rmId && owner.rmId === principal.sub) return 'FULL';
  if (has('BRANCH_MANAGER') && owner.branchId && owner.branchId === principal.branchId) return 'FULL';
  // Their own branch, whatever other role the token holds (an all-branch role does not widen a teller's desk).
  if ((has('TELLER') || has('SERVICE_AGENT')) && owner.branchId && owner.branchId === principal.branchId) return 'MASKED';
  if (options.maskedEverywhere?.some(has)) return 'MASKED';
  if (has('RM')) throw new ForbiddenException('an RM sees only their own customers');
  if (has('BRANCH_MANAGER') || has('TELLER') || has('SERVICE_AGENT')) throw new ForbiddenException('this role sees only customers of its own branch');
  throw new ForbiddenException('this role does not see single customers (EXECUTIVE and MARKETING see aggregates only)');
}

import type { Role } from '@meridian/events';

/** Roles that act on any customer's points: the bank's own systems, the contact centre, administrators and auditors. */
const ANY_CUSTOMER: readonly Role[] = ['SYSTEM', 'ADMIN', 'SERVICE_AGENT', 'AUDITOR'];

/**
 * May this caller see (or redeem) this customer's points? (DOMAIN.md: roles) An RM their own
 * customers, a branch manager or teller their branch's; the roles above any customer. A customer
 * campaign knows nothing of is open to those roles only.
 */
export function canReachPoints(caller: { sub: string; roles: readonly Role[]; branchId: string }, customer?: { rmId?: string; branchId?: string }): boolean {
  if (caller.roles.some((r) => ANY_CUSTOMER.includes(r))) return true;
  if (!customer) return false;
  if (caller.roles.includes('RM') && customer.rmId === caller.sub) return true;
  return (caller.roles.includes('BRANCH_MANAGER') || caller.roles.includes('TELLER')) && customer.branchId !== undefined && customer.branchId === caller.branchId;
}

import { ROLES, Role } from '@meridian/events';

/** The caller of a `/v1` route, from a verified JWT (CONTRACTS.md §5). */
export interface Principal {
  sub: string;
  roles: Role[];
  branchId: string;
}

/** Roles that see every branch; the others are confined to the branch in their token (DOMAIN.md: roles). */
export const ALL_BRANCH_ROLES: readonly Role[] = ['EXECUTIVE', 'AUDITOR', 'ADMIN', 'SYSTEM', 'MARKETING'];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Does the caller hold one of `roles`? An empty list admits no one (fail closed, CONTRACTS.md §5). */
export function hasAnyRole(principal: Principal, roles: readonly Role[]): boolean {
  return principal.roles.some((r) => roles.includes(r));
}

/** Branch scope: may this caller act on data of `branchId`? */
export function canAccessBranch(principal: Principal, branchId: string): boolean {
  return principal.roles.some((r) => ALL_BRANCH_ROLES.includes(r)) || principal.branchId === branchId;
}

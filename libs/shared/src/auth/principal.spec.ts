import type { Role } from '@meridian/events';
import { hasAnyRole } from './principal';

describe('hasAnyRole', () => {
  const caller = (...roles: Role[]) => ({ sub: 's', roles, branchId: 'BR1' });

  it.each<[Role[], Role[], boolean]>([
    [['RM'], ['RM', 'ADMIN'], true],
    [['TELLER', 'AUDITOR'], ['AUDITOR'], true],
    [['TELLER'], ['RM'], false],
    [['ADMIN'], [], false],
    [['SYSTEM', 'ADMIN'], [], false],
  ])('a caller with %p on a route admitting %p → %p (no declared roles admits no one)', (held, admitted, expected) => {
    expect(hasAnyRole(caller(...held), admitted)).toBe(expected);
  });
});

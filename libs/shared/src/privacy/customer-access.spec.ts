import { ForbiddenException } from '@nestjs/common';
import type { Role } from '@meridian/events';
import { accessFor } from './customer-access';

const caller = (roles: Role[], sub = 'u-1', branchId = 'BR001') => ({ sub, roles, branchId });
const owner = { branchId: 'BR001', rmId: 'rm-1' };

describe('who sees one customer, and how much (DOMAIN.md security)', () => {
  it.each<[string, Role[], string, string, 'FULL' | 'MASKED']>([
    ['their own RM', ['RM'], 'rm-1', 'BR009', 'FULL'],
    ['the branch manager', ['BRANCH_MANAGER'], 'bm-1', 'BR001', 'FULL'],
    ['an administrator', ['ADMIN'], 'ad-1', 'HQ', 'FULL'],
    ['a teller of the branch', ['TELLER'], 't-1', 'BR001', 'MASKED'],
    ['an agent of the branch', ['SERVICE_AGENT'], 'a-1', 'BR001', 'MASKED'],
  ])('%s sees %s', (_who, roles, sub, branchId, access) => {
    expect(accessFor(caller(roles, sub, branchId), owner)).toBe(access);
  });

  it.each<[string, Role[], string, string]>([
    ['another RM', ['RM'], 'rm-2', 'BR001'],
    ['another branch’s manager', ['BRANCH_MANAGER'], 'bm-2', 'BR002'],
    ['another branch’s teller, even with an all-branch role beside', ['TELLER', 'EXECUTIVE'], 't-2', 'BR002'],
    ['an executive', ['EXECUTIVE'], 'e-1', 'HQ'],
    ['marketing', ['MARKETING'], 'm-1', 'HQ'],
  ])('%s is refused', (_who, roles, sub, branchId) => {
    expect(() => accessFor(caller(roles, sub, branchId), owner)).toThrow(ForbiddenException);
  });

  it('a customer whose branch is not known is seen by no branch role', () => {
    expect(() => accessFor(caller(['BRANCH_MANAGER']), {})).toThrow(ForbiddenException);
    expect(() => accessFor(caller(['TELLER']), {})).toThrow(ForbiddenException);
  });

  it('roles seen masked everywhere (the service desk’s agents) see any branch’s customer masked, and no more', () => {
    const desk = { maskedEverywhere: ['SERVICE_AGENT'] as Role[] };
    expect(accessFor(caller(['SERVICE_AGENT'], 'a-1', 'CC'), owner, desk)).toBe('MASKED');
    expect(accessFor(caller(['SERVICE_AGENT'], 'a-1', 'CC'), {}, desk)).toBe('MASKED');
    expect(accessFor(caller(['SERVICE_AGENT', 'RM'], 'rm-1', 'CC'), owner, desk)).toBe('FULL');
    expect(() => accessFor(caller(['TELLER'], 't-2', 'BR002'), owner, desk)).toThrow(ForbiddenException);
  });
});

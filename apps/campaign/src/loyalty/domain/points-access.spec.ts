import type { Role } from '@meridian/events';
import { canReachPoints } from './points-access';

const caller = (roles: Role[], sub = 'RM007', branchId = 'BR01') => ({ sub, roles, branchId });
const customer = { rmId: 'RM007', branchId: 'BR01' };

describe('canReachPoints: who sees and redeems a customer’s points', () => {
  it.each<[string, ReturnType<typeof caller>, typeof customer | undefined, boolean]>([
    ['the customer’s own RM', caller(['RM']), customer, true],
    ['another RM', caller(['RM'], 'RM008'), customer, false],
    ['a branch manager of the branch', caller(['BRANCH_MANAGER'], 'bm'), customer, true],
    ['a branch manager of another branch', caller(['BRANCH_MANAGER'], 'bm', 'BR02'), customer, false],
    ['a teller of the branch', caller(['TELLER'], 't'), customer, true],
    ['a contact-centre agent, any customer', caller(['SERVICE_AGENT'], 'a', 'CC'), customer, true],
    ['the rewards system, a customer campaign does not know', caller(['SYSTEM'], 'mall', '-'), undefined, true],
    ['an RM, a customer campaign does not know', caller(['RM']), undefined, false],
    ['marketing (aggregates only)', caller(['MARKETING'], 'm'), customer, false],
  ])('%s: %s', (_, who, whom, allowed) => {
    expect(canReachPoints(who, whom)).toBe(allowed);
  });
});

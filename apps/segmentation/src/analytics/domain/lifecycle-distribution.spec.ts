import { LIFECYCLE_STAGES } from '@meridian/events';
import { lifecycleDistribution } from './lifecycle-distribution';

describe('lifecycleDistribution (counters n|stage|<STAGE>|<branch>, aum|stage|…)', () => {
  it('empty counters: every stage listed in DOMAIN.md order, all zero', () => {
    const d = lifecycleDistribution({});
    expect(d.rows.map((r) => r.value)).toEqual([...LIFECYCLE_STAGES]);
    expect(d.rows.every((r) => r.customers === 0 && r.share === 0 && r.byBranch.length === 0)).toBe(true);
  });

  it.each([
    ['the bank', undefined, { ACTIVE: 3, DORMANT: 1 }, 4],
    ['branch B1', 'B1', { ACTIVE: 2, DORMANT: 0 }, 2],
    ['branch B2', 'B2', { ACTIVE: 1, DORMANT: 1 }, 2],
  ])('%s: customers per stage and shares', (_, branchId, expected, total) => {
    const counters = { 'n|stage|ACTIVE|B1': 2, 'aum|stage|ACTIVE|B1': 20, 'n|stage|ACTIVE|B2': 1, 'aum|stage|ACTIVE|B2': 5, 'n|stage|DORMANT|B2': 1, 'n|tier|GOLD|B1': 8 };
    const d = lifecycleDistribution(counters, { branchId });
    expect(d.customers).toBe(total);
    for (const [stage, n] of Object.entries(expected)) expect(d.rows.find((r) => r.value === stage)).toMatchObject({ customers: n, share: n / total });
  });
});

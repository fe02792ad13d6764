import { TIERS, Tier } from '@meridian/events';
import { Counters, Distribution, distributionOf } from './distribution';

/** Customers and AUM per value tier (DOMAIN.md: value tiers), in the whole bank or one branch, with each branch's part. */
export function tierDistribution(counters: Counters, scope: { branchId?: string } = {}): Distribution<Tier> {
  return distributionOf(counters, 'tier', TIERS, scope.branchId);
}

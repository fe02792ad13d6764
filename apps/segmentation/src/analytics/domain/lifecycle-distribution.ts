import { LIFECYCLE_STAGES, LifecycleStage } from '@meridian/events';
import { Counters, Distribution, distributionOf } from './distribution';

/** Customers and AUM per lifecycle stage (DOMAIN.md: lifecycle stages), in the whole bank or one branch, with each branch's part. */
export function lifecycleDistribution(counters: Counters, scope: { branchId?: string } = {}): Distribution<LifecycleStage> {
  return distributionOf(counters, 'stage', LIFECYCLE_STAGES, scope.branchId);
}

import { customerPartition } from '@meridian/events';

/** The sweep partition a customer belongs to: FNV-1a over the id, so every instance agrees. */
export const sweepPartition = customerPartition;

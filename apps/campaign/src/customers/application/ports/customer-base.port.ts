import type { CustomerRecord } from '../../domain/customer-facts';

/** A customer's standing as a profile announced it: ACTIVE joins the base, MERGED leaves it, ERASED leaves it for good. */
export interface BaseChange {
  customerId: string;
  /** The profile version that said so: an older one than the base applied changes nothing. */
  version: number;
  status: CustomerRecord['status'];
}

/**
 * The customers a batch audience is decided over (issue 12, point 8), by partition, in Redis: a
 * scheduled campaign reads them a partition and a step at a time, never with a MongoDB filter
 * (FerretDB v1 would scan the collection for each; ADR 0005).
 */
export abstract class CustomerBase {
  abstract readonly partitions: number;
  abstract record(changes: readonly BaseChange[]): Promise<void>;
  /** Up to about `count` ids of a partition from `cursor` (`'0'` to begin); the cursor answered `'0'` ends it. An id may come twice. */
  abstract scan(partition: number, cursor: string, count: number): Promise<{ ids: string[]; cursor: string }>;
  /** Has the base been built from every customer kept (once, or again after Redis lost it)? */
  abstract isBuilt(): Promise<boolean>;
  abstract markBuilt(): Promise<void>;
}

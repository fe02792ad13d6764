import type { Consents } from '@meridian/events';

/** What service-desk keeps of a customer's profile (ProfileUpdated on crm.profile.v1), at the profile's version. */
export interface ProfileFact {
  customerId: string;
  version: number;
  /** Absent: no consent to anything (CONTRACTS.md, PIPL). */
  consents?: Consents;
  branchId?: string;
  rmId?: string;
  /** An erased or merged customer is never contacted again (their consents are dropped). */
  status: 'ACTIVE' | 'MERGED' | 'ERASED';
  /** MERGED: the customer whose records now hold theirs (profile resolved the merge). */
  mergedInto?: string;
}

/**
 * Customers' profile facts, one document each (`customer_profiles`, by `_id`): kept apart from
 * the tier's documents because another consumer writes those, and FerretDB v1 writes a document
 * whole — two consumers' `$set`s on one document could lose one.
 */
export abstract class CustomerProfiles {
  abstract get(customerIds: readonly string[]): Promise<Map<string, ProfileFact>>;
  /**
   * Keeps each fact whose version is newer than the one kept (a redelivery or an older version
   * changes nothing); answers the facts kept before, of the customers asked about.
   */
  abstract record(facts: readonly ProfileFact[]): Promise<Map<string, ProfileFact>>;
}

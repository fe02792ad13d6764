import type { EnvelopeInit } from '@meridian/events';

export type ProfileStatus = 'ACTIVE' | 'MERGED' | 'ERASED';

/**
 * profiles: one document per customer. Everything about the person — identity, PII,
 * products and balances, aggregates — is in `sealed` (AES-256-GCM under the customer's
 * data key); in clear only what routing and access checks need.
 */
export interface ProfileDoc {
  _id: string;
  status: ProfileStatus;
  mergedInto?: string;
  /** Events folded; the optimistic-concurrency token of every write. */
  version: number;
  asOf?: string;
  /** The latest day roll applied to it (in clear: a rebuild from the event log applies it again). */
  rolledTo?: string;
  branchId?: string;
  rmId?: string;
  /** Highest offset folded per `topic|partition` (dots replaced): a redelivered record is recognised. */
  offsets: Record<string, number>;
  sealed?: string;
  /** Customers merged into this one (their events are folded here). */
  mergedFrom?: string[];
  /** The last ProfileUpdated, kept with the change it announces (embedded outbox), sealed: it carries AUM. */
  outbox?: string;
  erasedAt?: string;
  erasedBy?: string;
  /** An erasure not finished yet: what it still has to announce (no PII in them). */
  pendingAnnouncements?: PendingAnnouncement[];
}

export interface PendingAnnouncement {
  topic: string;
  envelope: EnvelopeInit;
}

/** Profile documents (STYLE.md rule 3: the port; `ProfileRepository` is the MongoDB + Redis adapter). */
export abstract class ProfileStore {
  /** By id, through the read-through cache: fine for routing and reads, never for a decision a write depends on. */
  abstract load(customerIds: readonly string[]): Promise<Map<string, ProfileDoc>>;
  /** Straight from the database: what a write's version check and a redelivery check rely on. */
  abstract loadFresh(customerId: string): Promise<ProfileDoc | null>;
  /** Writes if the stored version is still `previousVersion` (undefined: a new profile); false when another writer came first. */
  abstract save(doc: ProfileDoc, previousVersion: number | undefined): Promise<boolean>;
  /** A tombstone over whatever is stored (the erasure marker came first: ADR 0007, erasure on the owner of the customer). */
  abstract putTombstone(tombstone: ProfileDoc): Promise<void>;
  /** An erasure's last step: the tombstone with nothing left to announce; false when another writer came first. */
  abstract settleErasure(tombstone: ProfileDoc): Promise<boolean>;
}

import type { IdentityEvidence } from '@meridian/events';
import type { OutgoingEvent } from '@meridian/events/kafka';
import type { ClaimRunStatus } from '../../domain/claim-settlement';

/** A key's owner in the durable map, and the resolution run that claimed it (none once written by a settled change). */
export interface KeyClaim {
  customerId: string;
  claimRun?: string;
}

/** identity_customers: the canonical customer ids ingest has issued. */
export interface IdentityCustomerDoc {
  _id: string;
  status: 'ACTIVE' | 'MERGED';
  mergedInto?: string;
  mergeId?: string;
  createdAt: Date;
  eventId: string;
}

/** identity_merges: the merge history an ADMIN can undo. */
export interface IdentityMergeDoc {
  _id: string;
  survivorId: string;
  mergedId: string;
  evidence: IdentityEvidence[];
  /** The merged customer's keys at the time, moved to the survivor (and back on undo). */
  movedKeys: string[];
  mergedAt: Date;
  eventId: string;
  status: 'ACTIVE' | 'UNDONE';
  undoneBy?: string;
  undoneAt?: Date;
  reason?: string;
}

/** A change to the identity map that must be announced; kept in the outbox until it is. */
export type IdentityChange =
  | { kind: 'relink'; key: string; from: string; to: string; eventId: string }
  | { kind: 'merge'; mergeId: string; survivorId: string; mergedId: string; evidence: IdentityEvidence[]; eventId: string }
  | { kind: 'unmerge'; mergeId: string; undoneBy: string; reason?: string };

/**
 * identity_outbox: changes and the events that announce them, written before the changes
 * are made and deleted once the events are out (STYLE.md rule 12). A crash in between
 * leaves the document; the relay makes the (idempotent) changes again and publishes.
 */
export interface IdentityOutboxDoc {
  _id: string;
  createdAt: Date;
  changes: IdentityChange[];
  events: OutgoingEvent[];
}

/**
 * The identity map as the use cases see it (STYLE.md rule 3: a port, an abstract class
 * used as the injection token): the resolver, the unmerge and the outbox relay decide;
 * the adapter (infrastructure/identity.repository.ts, bound in app.module.ts) stores.
 */
export abstract class IdentityStore {
  /** False while the database is not connected (start-up, an outage): background work waits. */
  abstract get connected(): boolean;
  /** key → customer from the cache, for the keys it holds. */
  abstract cachedOwners(keys: readonly string[]): Promise<Map<string, string>>;
  /**
   * Caches owners a run claimed or learned, where the cache holds nothing for the key: an
   * owner changed meanwhile (refreshCachedOwners) is never overwritten by this older news.
   */
  abstract cacheOwners(owners: ReadonlyMap<string, string>): Promise<void>;
  /** After a change to these keys: caches what the durable map holds now, newest write winning (a versioned cache). */
  abstract refreshCachedOwners(keys: readonly string[]): Promise<void>;
  /** key → owner and claiming run from the durable map. */
  abstract claimsOf(keys: readonly string[]): Promise<Map<string, KeyClaim>>;
  /** Inserts the keys that nobody holds, as claims of `run`; answers those someone already held. */
  abstract claim(claims: ReadonlyArray<{ key: string; customerId: string; eventId: string }>, at: Date, run: string): Promise<string[]>;
  /** Gives back `run`'s claims of these keys (a run yielding to an older one). */
  abstract withdrawClaims(keys: readonly string[], run: string): Promise<void>;
  /** The marks of these runs, for those marked. */
  abstract claimRunStatuses(runs: readonly string[]): Promise<Map<string, ClaimRunStatus>>;
  /** Marks a run unless it is marked already (one atomic set-if-absent); answers the mark that stands. */
  abstract markClaimRun(run: string, status: ClaimRunStatus): Promise<ClaimRunStatus>;
  /**
   * Takes a customer's merge lease (a unique insert, with an expiry) for `holder`, or takes
   * over one whose holder outlived it; false while another holder's lease runs.
   */
  abstract tryMergeLease(customerId: string, holder: string, until: Date, now: Date): Promise<boolean>;
  abstract releaseMergeLeases(customerIds: readonly string[], holder: string): Promise<void>;
  /** Extends `holder`'s leases to `until`; false when one of them is not `holder`'s any more. */
  abstract renewMergeLeases(customerIds: readonly string[], holder: string, until: Date): Promise<boolean>;
  abstract createCustomers(customers: ReadonlyArray<{ customerId: string; eventId: string }>, at: Date): Promise<void>;
  abstract deleteCustomers(customerIds: readonly string[]): Promise<void>;
  abstract customer(customerId: string): Promise<IdentityCustomerDoc | null>;
  abstract merge(mergeId: string): Promise<IdentityMergeDoc | null>;
  abstract writeOutbox(docs: IdentityOutboxDoc[]): Promise<void>;
  abstract deleteOutbox(ids: readonly string[]): Promise<void>;
  /** Outbox documents older than `before`: left by a crash between a change and its announcement. */
  abstract pendingOutbox(before: Date, limit?: number): Promise<IdentityOutboxDoc[]>;
  /** Makes a change, idempotently; answers the keys whose owner it set (`replay`: a key that moved on since stays). */
  abstract apply(change: IdentityChange, at: Date, replay?: boolean): Promise<Map<string, string>>;
  /** Makes a batch's changes in order (`each` after every one); answers the keys whose owner they set. */
  abstract applyAll(changes: readonly IdentityChange[], at: Date, each?: () => Promise<void>): Promise<Set<string>>;
  /** Of these pair ids (domain/kept-apart.ts), the pairs an ADMIN keeps apart now: one by-`_id` read each, in parallel. */
  abstract keptApart(pairIds: readonly string[]): Promise<Set<string>>;
  abstract separation(pairId: string): Promise<IdentitySeparationDoc | null>;
  /** Marks a kept-apart pair lifted, with who, when and why; answers the record as it is then (null: no pair kept apart). */
  abstract liftSeparation(pairId: string, lift: { liftedBy: string; liftedAt: Date; liftReason: string }): Promise<IdentitySeparationDoc | null>;
}

/**
 * identity_kept_apart: a pair of customers an ADMIN kept apart by undoing their merge
 * (ADR 0006: sticky unmerge), keyed by the unordered pair. Set by the unmerge change,
 * lifted (never deleted) by an ADMIN's explicit decision.
 */
export interface IdentitySeparationDoc {
  _id: string;
  /** The two customers, in the order of the pair id. */
  customerIds: string[];
  status: 'ACTIVE' | 'LIFTED';
  /** The undone merge that set it, and who undid it, when and why. */
  mergeId: string;
  keptBy: string;
  keptAt: Date;
  reason?: string;
  liftedBy?: string;
  liftedAt?: Date;
  liftReason?: string;
  /** Earlier separations of the pair, lifted, before a later undo kept the pair apart again. */
  history?: Array<Omit<IdentitySeparationDoc, '_id' | 'customerIds' | 'history'>>;
}

import type { IdentityEvidence } from '@meridian/events';
import type { OutgoingEvent } from '@meridian/events/kafka';

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
  abstract cacheOwners(owners: ReadonlyMap<string, string>): Promise<void>;
  /** key → customer from the durable map. */
  abstract ownersOf(keys: readonly string[]): Promise<Map<string, string>>;
  /** Inserts the keys that nobody holds; answers those someone already held. */
  abstract claim(claims: ReadonlyArray<{ key: string; customerId: string; eventId: string }>, at: Date): Promise<string[]>;
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

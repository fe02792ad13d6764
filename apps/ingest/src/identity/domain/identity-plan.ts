import { RecordKeys } from './identity-keys';
import { KeptApartPlan, keepsApart, keysOfPlannedCustomer } from './kept-apart';

/**
 * Identity resolution as a pure decision (DOMAIN.md: identity):
 * - keys matching nobody → a new customer;
 * - idNumber outranks phone outranks nothing: when idNumber says A and phone says B, the
 *   record is A's and the phone moves to A (an IdentityConflict);
 * - a new idNumber with a known phone is a new customer, and the phone moves to it;
 * - two existing customers are merged only on strong evidence: the record's idNumber
 *   belongs to one and its source reference to the other — unless an ADMIN keeps the two
 *   apart (`keptApart`, pair ids of undone merges, ADR 0006): then the record stays with
 *   its source reference's customer, no key moves between the pair, and the plan says so
 *   (an IdentityConflict for review).
 *
 * It plans a whole batch in order, each record seeing the effect of the ones before it,
 * against what the caller knows of key owners. Keys the caller does not know are presumed
 * new and claimed; a claim that finds the key taken teaches the caller its owner and the
 * batch is planned again. Keys claimed in an earlier round for a candidate customer that
 * the new plan no longer wants are `provisional`: they move silently, as no one has seen
 * that customer yet.
 */

export interface PlanRecord {
  eventId: string;
  keys: RecordKeys;
}

export interface KeyOwner {
  customerId: string;
  /** Claimed earlier in this batch for a candidate customer that is not confirmed yet. */
  provisional?: boolean;
}

export type KeyWrite =
  /** The key was unknown: insert it (fails if someone else inserted it first). */
  | { kind: 'claim'; key: string; customerId: string }
  /** Our own provisional claim goes to another customer of this batch: no announcement. */
  | { kind: 'repoint'; key: string; from: string; customerId: string }
  /** Taken from another customer (a reassigned phone): announced as an IdentityConflict. */
  | { kind: 'move'; key: string; from: string; customerId: string };

export interface MergePlan {
  survivorId: string;
  mergedId: string;
  /** The record's keys that prove it: the survivor's idNumber and the merged customer's source reference. */
  evidence: string[];
}

export interface RecordPlan {
  customerId: string;
  /** A customer first seen in this record. */
  created: boolean;
  writes: KeyWrite[];
  merge?: MergePlan;
  /** The merge the evidence proposed and a kept-apart pair refused. */
  keptApart?: KeptApartPlan;
}

export function planIdentities(
  records: readonly PlanRecord[],
  known: ReadonlyMap<string, KeyOwner>,
  newCustomerId: (eventId: string) => string,
  keptApart: ReadonlySet<string> = new Set(),
): RecordPlan[] {
  const view = new Map(known);
  const settled = (key: string | undefined): string | undefined => {
    if (!key) return undefined;
    const owner = view.get(key);
    return owner && !owner.provisional ? owner.customerId : undefined;
  };

  return records.map(({ eventId, keys }) => {
    const byId = settled(keys.idNumber);
    const bySource = settled(keys.sourceRef);
    let customerId: string;
    let merge: MergePlan | undefined;
    if (byId && keys.idNumber) {
      customerId = byId;
      if (bySource && bySource !== byId) {
        merge = { survivorId: byId, mergedId: bySource, evidence: [keys.idNumber, keys.sourceRef] };
      }
    } else {
      customerId = bySource ?? newCustomerId(eventId);
    }
    const created = !byId && !bySource;
    const apart = merge && keepsApart(keptApart, merge);
    if (apart) {
      customerId = apart.customerId;
      merge = undefined;
    }

    const writes: KeyWrite[] = [];
    for (const key of [keys.idNumber, keys.sourceRef, keys.phone]) {
      if (!key) continue;
      const owner = view.get(key);
      if (apart && owner && !owner.provisional && owner.customerId === apart.plan.otherId) apart.plan.stayed.push(key);
      else if (!owner) writes.push({ kind: 'claim', key, customerId });
      else if (owner.customerId === customerId) {
        // Already ours (or our own claim from an earlier round, now confirmed).
      } else if (owner.provisional) writes.push({ kind: 'repoint', key, from: owner.customerId, customerId });
      else if (merge && owner.customerId === merge.mergedId) {
        // Moves with the rest of the merged customer's keys.
      } else writes.push({ kind: 'move', key, from: owner.customerId, customerId });
    }

    if (merge) {
      for (const [key, owner] of view) if (owner.customerId === merge.mergedId) view.set(key, { customerId });
    }
    for (const key of keysOfPlannedCustomer(keys, { keptApart: apart?.plan })) view.set(key, { customerId });
    return { customerId, created, writes, ...(merge ? { merge } : {}), ...(apart ? { keptApart: apart.plan } : {}) };
  });
}

import { RecordKeys } from './identity-keys';

/**
 * A pair of customers an ADMIN has kept apart by undoing their merge (ADR 0006: sticky
 * unmerge). The id is the unordered pair, so "A kept apart from B" and "B kept apart from
 * A" are one record, found by `_id` (ADR 0005: the only index look-up on FerretDB v1).
 */
export function keptApartPairId(customerId: string, otherCustomerId: string): string {
  return [customerId, otherCustomerId].sort().join('|');
}

/** What a kept-apart pair did to a record whose evidence would have merged them. */
export interface KeptApartPlan {
  /** The customer the evidence pointed at through the idNumber, not merged. */
  otherId: string;
  /** The record's keys that proposed the merge: the other's idNumber and this customer's source reference. */
  evidence: string[];
  /** The record's keys that stay with the other customer (none of the pair's keys move between the two). */
  stayed: string[];
}

/**
 * A proposed merge of a pair kept apart: the record stays with the merged customer — the one
 * its source reference names, which is what the source system says and where that reference's
 * later events (transactions, products) go — and the idNumber's owner is the other.
 */
export function keepsApart(keptApart: ReadonlySet<string>, merge: { survivorId: string; mergedId: string; evidence: string[] }): { customerId: string; plan: KeptApartPlan } | undefined {
  if (!keptApart.has(keptApartPairId(merge.survivorId, merge.mergedId))) return undefined;
  return { customerId: merge.mergedId, plan: { otherId: merge.survivorId, evidence: merge.evidence, stayed: [] } };
}

/** The record's keys that belong to the planned customer afterwards: all, but those a kept-apart pair left with the other. */
export function keysOfPlannedCustomer(keys: RecordKeys, plan: { keptApart?: KeptApartPlan }): string[] {
  return [keys.idNumber, keys.sourceRef, keys.phone].filter((k): k is string => !!k && !plan.keptApart?.stayed.includes(k));
}

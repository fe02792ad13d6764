import { nextDueAt } from './next-due';
import { segmentEffects } from './segment-effects';
import { CustomerSegmentState, EvaluationRules } from './segment-state';

/** A stored customer as the rebuild reads it: an ACTIVE state, or a MERGED or ERASED tombstone. */
export type StoredCustomer = { _id: string; rev: number } & (({ status: 'ACTIVE' } & CustomerSegmentState) | { status: 'MERGED' | 'ERASED' });

/** What one stored customer puts into the data derived in Redis (ADR 0009: rebuilding it). */
export interface DerivedContribution {
  customerId: string;
  /**
   * The write it stands for: recorded as the customer's applied rev and due-index rev, so
   * the effects of that write or an older one, still pending in the document, are not
   * applied on top of it — a tombstone's too (its write's effects took a customer out of
   * totals that, rebuilt, never counted them).
   */
  rev: number;
  counters: Record<string, number>;
  memberships: string[];
  dueAt?: string;
}

/**
 * A stored customer's share of the counters, member sets and due index: exactly the effects
 * a new customer arriving in that state has (segmentEffects from nothing, so the stream and
 * the rebuild cannot disagree on what a state counts), and its next due instant. A tombstone
 * contributes nothing.
 */
export function derivedContribution(doc: StoredCustomer, numbers: EvaluationRules): DerivedContribution {
  if (doc.status !== 'ACTIVE') return { customerId: doc._id, rev: doc.rev, counters: {}, memberships: [] };
  const effects = segmentEffects(`${doc._id}:${doc.rev}`, undefined, doc);
  const dueAt = nextDueAt(doc, numbers);
  return { customerId: doc._id, rev: doc.rev, counters: effects.counters, memberships: effects.joined, ...(dueAt && { dueAt }) };
}

/** Adds a contribution's counters into running totals (in place). */
export function addCounters(totals: Record<string, number>, counters: Record<string, number>): void {
  for (const [k, v] of Object.entries(counters)) totals[k] = (totals[k] ?? 0) + v;
}

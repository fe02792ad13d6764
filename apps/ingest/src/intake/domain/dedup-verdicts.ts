import { BusinessKey, BusinessKeyField } from './business-key';

/** A record of a batch as de-duplication sees it, in input order. */
export interface DedupCandidate {
  eventId: string;
  businessKey?: BusinessKey;
}

/** What the guard knows of a claim done before (eventId or business key). */
export interface KnownClaim {
  customerId?: string;
  fingerprint?: string;
}

export type DuplicateKey = 'eventId' | BusinessKeyField;

export type DedupVerdict =
  | { kind: 'apply' }
  /** `of`: the eventId of the record of this batch it repeats, when it repeats one of this batch. */
  | { kind: 'duplicate'; key: DuplicateKey; customerId?: string; of?: string }
  | { kind: 'conflict'; field: BusinessKeyField; fingerprint: string };

/**
 * The claims a batch makes, once each: every eventId, and each business key with the
 * fingerprint of the first record that carries it — the one the claim stands for.
 */
export function dedupClaims(candidates: readonly DedupCandidate[]): Array<{ id: string; fingerprint?: string }> {
  const claims: Array<{ id: string; fingerprint?: string }> = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    claims.push({ id: c.eventId });
    const key = c.businessKey;
    if (key && !seen.has(key.id)) {
      seen.add(key.id);
      claims.push({ id: key.id, fingerprint: key.fingerprint });
    }
  }
  return claims;
}

/**
 * Issue 9, point 6: a fact counts once whatever its envelope. Each record of a batch (its
 * eventIds distinct) is, in input order: a duplicate by eventId when that eventId was done
 * before; else, when its business key was done before or taken by an earlier record of this
 * batch, a duplicate by that key if the content is the same (same fingerprint) and a
 * conflict if not; else it is applied. The first record of a business key in the batch
 * holds the key's claim, so what it carries is what later records of the batch must match —
 * even when it is itself a duplicate by eventId (the key was then published under it).
 */
export function dedupVerdicts(candidates: readonly DedupCandidate[], known: ReadonlyMap<string, KnownClaim>): DedupVerdict[] {
  /** Business key → the content it stands for, and the eventId of this batch applying it. */
  const taken = new Map<string, { fingerprint: string; customerId?: string; of?: string }>();
  return candidates.map((c): DedupVerdict => {
    const key = c.businessKey;
    const before = key && (taken.get(key.id) ?? known.get(key.id));
    const doneEvent = known.get(c.eventId);
    if (doneEvent) {
      if (key && !taken.has(key.id)) taken.set(key.id, { fingerprint: before?.fingerprint ?? key.fingerprint, customerId: before?.customerId ?? doneEvent.customerId });
      return { kind: 'duplicate', key: 'eventId', ...(doneEvent.customerId ? { customerId: doneEvent.customerId } : {}) };
    }
    if (key && before?.fingerprint !== undefined) {
      if (before.fingerprint !== key.fingerprint) return { kind: 'conflict', field: key.field, fingerprint: before.fingerprint };
      const prior = taken.get(key.id);
      return { kind: 'duplicate', key: key.field, ...(before.customerId ? { customerId: before.customerId } : {}), ...(prior?.of ? { of: prior.of } : {}) };
    }
    if (key) taken.set(key.id, { fingerprint: key.fingerprint, of: c.eventId });
    return { kind: 'apply' };
  });
}

import { createHash } from 'node:crypto';

/** Characters of one fact key: 72 bits of SHA-256, base64url. */
export const FACT_KEY_CHARS = 12;

/** The field that, with `sourceSystem`, names a fact in its source system (CONTRACTS.md §2). */
const KEY_FIELD: Readonly<Record<string, string>> = { TransactionPosted: 'transactionId', InteractionRecorded: 'interactionId' };

/**
 * The business key of a transaction or interaction — (type, sourceSystem, transactionId |
 * interactionId) — as a short fixed-width hash: what a day bucket remembers so that it never
 * counts one fact twice, whatever eventId carried it (issue 9, point 6; ingest rejects or
 * drops the second copy already, this is the defence in depth). 72 bits: two different facts
 * of one customer collide with odds of about n² / 2⁷³ (1e-10 at 400,000 facts in the window).
 */
export function factKeyOf(type: string, payload: unknown): string | undefined {
  const field = KEY_FIELD[type];
  const p = payload as Record<string, unknown>;
  if (!field || typeof p[field] !== 'string' || typeof p.sourceSystem !== 'string') return undefined;
  return createHash('sha256').update(JSON.stringify([type, p.sourceSystem, p[field]])).digest('base64url').slice(0, FACT_KEY_CHARS);
}

/** Keys of one bucket are one string of sorted fixed-width keys: no per-key quotes or commas in the stored document. */
function position(keys: string, key: string): { at: number; found: boolean } {
  let lo = 0;
  let hi = keys.length / FACT_KEY_CHARS;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const probe = keys.slice(mid * FACT_KEY_CHARS, (mid + 1) * FACT_KEY_CHARS);
    if (probe === key) return { at: mid, found: true };
    if (probe < key) lo = mid + 1;
    else hi = mid;
  }
  return { at: lo, found: false };
}

export function hasFactKey(keys: string | undefined, key: string): boolean {
  return !!keys && position(keys, key).found;
}

/** `keys` with `key` in its sorted place (unchanged when it is there already). */
export function withFactKey(keys: string | undefined, key: string): string {
  if (!keys) return key;
  const { at, found } = position(keys, key);
  return found ? keys : keys.slice(0, at * FACT_KEY_CHARS) + key + keys.slice(at * FACT_KEY_CHARS);
}

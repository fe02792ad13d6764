import { createHash } from 'node:crypto';
import { EventEnvelope } from '@meridian/events';
import { canonicalPayload } from './canonical-event';
import { FxTable } from './money';

/**
 * The field that, with `sourceSystem`, names a fact in its source system whatever envelope
 * carries it (CONTRACTS.md §2): a core system's re-export or a replayed batch sends the same
 * transaction under a new eventId, and it must count once (issue 9, point 6).
 */
export const BUSINESS_KEY_FIELD = {
  TransactionPosted: 'transactionId',
  InteractionRecorded: 'interactionId',
} as const;

export type BusinessKeyField = (typeof BUSINESS_KEY_FIELD)[keyof typeof BUSINESS_KEY_FIELD];

export interface BusinessKey {
  /**
   * The claim's `_id`: the type, then `[sourceSystem, id]` as JSON — unambiguous whatever the
   * values hold, and never an eventId (those are printable ASCII without spaces).
   */
  id: string;
  field: BusinessKeyField;
  /** What makes two records with this key the same fact (see `contentFingerprint`). */
  fingerprint: string;
}

/** Derived from the exchange rates of this deployment, not from what the source system said. */
const DERIVED_FIELDS = new Set(['amountCnyMinor', 'balanceCnyMinor']);
/** Times in the payload: compared as instants, not as the text that wrote them. */
const TIME_FIELDS = new Set(['bookedAt']);

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] != null)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * "Same content" (ADR 0006, de-duplication): the event type and its canonical payload —
 * every field the source system sent, money as integer minor units (`"100.5"` = `"100.50"`),
 * payload times as instants (`+08:00` = the same `Z` time), an absent field = a null one —
 * and nothing of the envelope: not its eventId, occurredAt, source or correlation, which a
 * re-export or a replay stamps anew, nor the CNY values this deployment derives from its FX
 * table. SHA-256 of that canonical JSON, 128 bits in hex.
 */
export function contentFingerprint(envelope: EventEnvelope, fx: FxTable): string {
  const payload = canonicalPayload(envelope, fx) as Record<string, unknown>;
  const facts: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(payload)) {
    if (DERIVED_FIELDS.has(field)) continue;
    facts[field] = TIME_FIELDS.has(field) && typeof value === 'string' ? new Date(value).toISOString() : value;
  }
  return createHash('sha256').update(canonicalJson([envelope.type, facts])).digest('hex').slice(0, 32);
}

/** The business key of a validated inbound event, or none for types that have no such key. */
export function businessKeyOf(envelope: EventEnvelope, fx: FxTable): BusinessKey | undefined {
  const field = BUSINESS_KEY_FIELD[envelope.type as keyof typeof BUSINESS_KEY_FIELD];
  if (!field) return undefined;
  const p = envelope.payload as Record<string, unknown>;
  return { id: `${envelope.type} ${JSON.stringify([p.sourceSystem, p[field]])}`, field, fingerprint: contentFingerprint(envelope, fx) };
}

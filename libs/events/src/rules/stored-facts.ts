import type { SegmentFacts } from './segment-facts';

/** A value with every `undefined` field left out, deep (what a document must be before the driver writes it). */
export function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUndefined);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = withoutUndefined(v);
  return out;
}

/**
 * The facts as the state collection must hold them for a find() to agree with mingo (found
 * by the agreement test): the driver writes an `undefined` field as null, which $exists
 * counts as present, where mingo counts it as missing. So absent fields are dropped, not
 * stored. Nulls stay: both engines read a null alike.
 */
export function storedFacts(facts: SegmentFacts): SegmentFacts {
  return withoutUndefined(facts) as SegmentFacts;
}

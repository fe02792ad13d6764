import type { FieldError } from '@meridian/events';
import { RuleLimits, ruleQueryProblems } from '@meridian/events/rules';

/** What a client sends to define or edit a segment. */
export interface SegmentDefinitionInput {
  name: string;
  description?: string;
  /** A Mongo-style query over the facts (ADR 0004), validated before anything runs it. */
  rule: Record<string, unknown>;
}

export const NAME_MAX = 100;
export const DESCRIPTION_MAX = 1_000;
const FIELDS = new Set(['name', 'description', 'rule']);

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A segment definition from a request body, or every problem with it (the field, the check,
 * why): a name of 1–100 characters, an optional description, and a rule the rule language
 * admits (its problems named `rule.<path>`). Never throws: the body is whatever a client sent.
 */
export function segmentDefinitionInput(body: unknown, limits: RuleLimits): { input?: SegmentDefinitionInput; errors: FieldError[] } {
  if (!isPlainObject(body)) return { errors: [{ field: 'body', rule: 'isObject', message: 'the body must be a JSON object { name, description?, rule }' }] };
  const errors: FieldError[] = Object.keys(body)
    .filter((key) => !FIELDS.has(key))
    .slice(0, 10)
    .map((key) => ({ field: key.slice(0, 64), rule: 'whitelistValidation', message: `property ${key.slice(0, 64)} should not exist` }));
  const { name, description, rule } = body;
  if (typeof name !== 'string' || name.trim().length === 0 || name.length > NAME_MAX) {
    errors.push({ field: 'name', rule: 'isLength', message: `name must be a string of 1 to ${NAME_MAX} characters, not blank` });
  }
  if (description !== undefined && (typeof description !== 'string' || description.length > DESCRIPTION_MAX)) {
    errors.push({ field: 'description', rule: 'isLength', message: `description must be a string of at most ${DESCRIPTION_MAX} characters` });
  }
  if (rule === undefined) errors.push({ field: 'rule', rule: 'isDefined', message: 'rule is required: a query over the facts, e.g. { "aumMinor": { "$gte": 100000000 } }' });
  else errors.push(...ruleQueryProblems(rule, limits).map((p) => ({ field: p.path, rule: p.rule, message: p.message })));
  if (errors.length) return { errors };
  return { input: { name: name as string, ...(description !== undefined && { description: description as string }), rule: rule as Record<string, unknown> }, errors };
}

import { Query } from 'mingo';
import type { SegmentFacts } from './segment-facts';
import { ElementKind, FACT_FIELDS, FieldKind } from './fact-fields';

/** How big a rule may be (ADR 0004: rules are validated before anything runs them). */
export interface RuleLimits {
  /** Nesting of query objects: the rule, each $and/$or/$nor branch, a field's operators, a $not or $elemMatch body. */
  maxDepth: number;
  /** The rule serialized as JSON, UTF-8 bytes. */
  maxBytes: number;
  /** Keys in the whole rule: fields and operators. */
  maxNodes: number;
  /** Items in one array ($in, $nin, $all, $and, $or, $nor). */
  maxArrayItems: number;
}

export const DEFAULT_RULE_LIMITS: RuleLimits = { maxDepth: 8, maxBytes: 16_384, maxNodes: 200, maxArrayItems: 500 };

/** One thing wrong with a rule: where (`rule.$or[1].aumMinor.$where`), which check refused it, and why. */
export interface RuleProblem {
  path: string;
  rule: string;
  message: string;
}

/**
 * The operators a rule may use (ADR 0004's allow-list, plus $nor): each one both mingo and
 * FerretDB v1 evaluate alike on the field kinds they are allowed for (the agreement test).
 */
export const RULE_OPERATORS = ['$and', '$or', '$not', '$nor', '$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$exists', '$all', '$elemMatch', '$size'] as const;

const LOGICAL = new Set(['$and', '$or', '$nor']);
const RANGE = new Set(['$gt', '$gte', '$lt', '$lte']);
const RUNS_CODE = new Set(['$where', '$function', '$accumulator', '$expr']);
/** Refused with a reason: they are not unknown, they are unsafe or do not agree across the two engines. */
const REFUSED: Record<string, string> = {
  $regex: 'is refused: a pattern can backtrack without bound, and JavaScript and the server disagree on pattern syntax; match whole values with $eq or $in',
  $options: 'belongs to $regex, which is refused',
  $jsonSchema: 'is refused: schema validation is not part of the rule language',
  $text: 'is refused: text search needs an index and is not evaluated in memory',
  $type: 'is refused: a fact field has one kind; use $exists',
  $mod: 'is refused: not in the allow-list both engines are tested on',
};
/**
 * Found by the agreement test: FerretDB v1 answers $ne inside $elemMatch with NotImplemented,
 * reads $nin inside it as "holds none of" where MongoDB and mingo read "holds one not among",
 * and tests each of several conditions on any element, not all on the same one.
 */
const ELEM_MATCH_NEGATION =
  'is refused inside $elemMatch: the database (FerretDB v1) does not evaluate it as MongoDB does; say "holds none of" with { "$nin": [...] } on the field';
const ELEM_MATCH_SEVERAL =
  'takes one condition ($eq or $in): the database (FerretDB v1) tests several on any element, not on the same one, unlike MongoDB';
const SUB_DOCUMENT = 'a sub-document only takes $exists; name one of its fields with a dotted path (e.g. byCategory30d.PURCHASE.n)';
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** Past this many, the rest of a rule's problems are not listed. */
const MAX_PROBLEMS = 50;

type Obj = Record<string, unknown>;

function isPlainObject(value: unknown): value is Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  // Object.prototype of any realm (structuredClone, a vm context), or none: not a class instance, Date, RegExp…
  const proto = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

function isOperatorObject(value: unknown): value is Obj {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => k.startsWith('$'));
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value).slice(0, 40)}`;
}

function keyPath(path: string, key: string): string {
  const shown = key.length > 64 ? `${key.slice(0, 64)}…` : key;
  return /^[$A-Za-z_][\w$.]*$/.test(key) ? `${path}.${shown}` : `${path}[${JSON.stringify(shown)}]`;
}

class RuleWalk {
  readonly problems: RuleProblem[] = [];
  private nodes = 0;
  private full = false;

  constructor(
    readonly limits: RuleLimits,
    private readonly fields: ReadonlyMap<string, FieldKind>,
  ) {}

  refuse(path: string, rule: string, message: string): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push({ path, rule, message });
  }

  /** Counts one key; false once the rule has more than the limit allows (said once). */
  countNode(path: string): boolean {
    if (this.full) return false;
    if (++this.nodes <= this.limits.maxNodes) return true;
    this.full = true;
    this.refuse(path, 'isWithinSize', `the rule has more than ${this.limits.maxNodes} fields and operators`);
    return false;
  }

  withinDepth(path: string, depth: number): boolean {
    if (depth <= this.limits.maxDepth) return true;
    this.refuse(path, 'isWithinDepth', `the rule nests deeper than ${this.limits.maxDepth} levels`);
    return false;
  }

  array(path: string, value: unknown, nonEmpty: boolean): unknown[] | undefined {
    if (!Array.isArray(value)) return this.refuse(path, 'isArray', `must be an array, not ${describe(value)}`), undefined;
    if (nonEmpty && value.length === 0) return this.refuse(path, 'isNonEmptyArray', 'must not be empty'), undefined;
    if (value.length > this.limits.maxArrayItems) {
      return this.refuse(path, 'isWithinSize', `has ${value.length} items, more than ${this.limits.maxArrayItems}`), undefined;
    }
    return value;
  }

  /** A query object: the rule itself or a branch of $and/$or/$nor. */
  query(node: unknown, path: string, depth: number): void {
    if (!isPlainObject(node)) return this.refuse(path, 'isQueryObject', `must be a query object, not ${describe(node)}`);
    if (!this.withinDepth(path, depth)) return;
    for (const key of Object.keys(node)) {
      const at = keyPath(path, key);
      if (!this.countNode(at)) return;
      if (LOGICAL.has(key)) {
        const branches = this.array(at, node[key], true);
        branches?.forEach((branch, i) => this.query(branch, `${at}[${i}]`, depth + 1));
      } else if (key.startsWith('$')) this.operatorOutOfPlace(at, key, 'a field');
      else this.field(key, node[key], at, depth);
    }
  }

  private operatorOutOfPlace(path: string, op: string, where: string): void {
    if (RUNS_CODE.has(op)) return this.refuse(path, 'isAllowedOperator', `${op} runs code and is never allowed`);
    if (op in REFUSED) return this.refuse(path, 'isAllowedOperator', `${op} ${REFUSED[op]}`);
    if ((RULE_OPERATORS as readonly string[]).includes(op)) return this.refuse(path, 'isAllowedOperator', `${op} cannot stand here: it applies to ${where}`);
    this.refuse(path, 'isAllowedOperator', `${op} is not an allowed operator (allowed: ${RULE_OPERATORS.join(' ')})`);
  }

  private field(name: string, value: unknown, path: string, depth: number): void {
    if (UNSAFE_KEYS.has(name) || name.split('.').some((s) => UNSAFE_KEYS.has(s))) {
      return this.refuse(path, 'isSafeKey', `"${name.slice(0, 64)}" is not a field name`);
    }
    const kind = this.fields.get(name);
    if (!kind) {
      const why = name.includes('$') ? ' (a field path cannot hold $)' : name.split('.').includes('') ? ' (an empty path segment)' : '';
      return this.refuse(path, 'isKnownField', `"${name.slice(0, 64)}" is not a fact field a rule may read${why}`);
    }
    if (isOperatorObject(value)) return this.operators(kind, value, path, depth + 1);
    if (isPlainObject(value)) return this.refuse(path, 'isAllowedValue', 'a literal object is not compared; name its fields with dotted paths and use operators');
    if (kind.kind === 'object') return this.refuse(path, 'isOperatorForField', SUB_DOCUMENT);
    this.comparison(kind, '$eq', value, path);
  }

  /** A field's operators (`{ $gte: 5, $lt: 9 }`), or the body of its $not. */
  private operators(kind: FieldKind, ops: Obj, path: string, depth: number, negated = false): void {
    if (!this.withinDepth(path, depth)) return;
    for (const op of Object.keys(ops)) {
      const at = keyPath(path, op);
      if (!this.countNode(at)) return;
      const arg = ops[op];
      if (op === '$not') {
        if (negated) this.refuse(at, 'isAllowedOperator', '$not inside $not: say it without the double negation');
        else if (!isOperatorObject(arg)) this.refuse(at, 'isOperatorObject', 'takes operators, e.g. { "$not": { "$gt": 5 } }');
        else this.operators(kind, arg, at, depth + 1, true);
      } else if (op === '$exists') {
        if (typeof arg !== 'boolean') this.refuse(at, 'isFieldKindValue', `takes true or false, not ${describe(arg)}`);
      } else if (kind.kind === 'object') {
        this.refuse(at, 'isOperatorForField', SUB_DOCUMENT);
      } else if (op === '$all' || op === '$size' || op === '$elemMatch') this.arrayOperator(kind, op, arg, at, depth);
      else if ((RULE_OPERATORS as readonly string[]).includes(op) && !LOGICAL.has(op)) this.comparison(kind, op, arg, at);
      else this.operatorOutOfPlace(at, op, 'the rule, not a field');
    }
  }

  private arrayOperator(kind: FieldKind, op: string, arg: unknown, path: string, depth: number): void {
    if (kind.kind !== 'array') return this.refuse(path, 'isOperatorForField', `${op} applies to an array field only`);
    if (op === '$size') {
      if (!Number.isSafeInteger(arg) || (arg as number) < 0) this.refuse(path, 'isFieldKindValue', `takes a whole number ≥ 0, not ${describe(arg)}`);
    } else if (op === '$all') {
      this.array(path, arg, true)?.forEach((v, i) => this.element(kind.element, v, `${path}[${i}]`));
    } else if (!isOperatorObject(arg)) {
      this.refuse(path, 'isOperatorObject', 'takes operators on the element, e.g. { "$elemMatch": { "$in": ["A", "B"] } }');
    } else if (Object.keys(arg).length > 1) {
      this.refuse(path, 'isAllowedOperator', ELEM_MATCH_SEVERAL);
    } else if (this.withinDepth(path, depth + 1)) {
      for (const inner of Object.keys(arg)) {
        const at = keyPath(path, inner);
        if (!this.countNode(at)) return;
        if (inner === '$eq' || inner === '$in') this.comparison(kind, inner, arg[inner], at);
        else if (inner === '$ne' || inner === '$nin') this.refuse(at, 'isAllowedOperator', ELEM_MATCH_NEGATION);
        else this.refuse(at, 'isAllowedOperator', `${inner} is not allowed inside $elemMatch (allowed: $eq $in)`);
      }
    }
  }

  /** $eq $ne $gt $gte $lt $lte $in $nin, and a bare value (implicit $eq); on an array field, against its elements. */
  private comparison(kind: Exclude<FieldKind, { kind: 'object' }>, op: string, arg: unknown, path: string): void {
    const target = kind.kind === 'array' ? kind.element : kind;
    if (target.kind === 'dateTime') {
      return this.refuse(path, 'isOperatorForField', 'an offset date-time only takes $exists: its text order is not time order, and a rule has no clock');
    }
    if (RANGE.has(op) && target.kind !== 'number') {
      return this.refuse(path, 'isOperatorForField', `${op} compares numbers only; this field is ${kind.kind === 'array' ? 'an array' : `a ${target.kind}`}`);
    }
    if (op === '$in' || op === '$nin') {
      this.array(path, arg, false)?.forEach((v, i) => this.element(target, v, `${path}[${i}]`));
    } else this.element(target, arg, path);
  }

  private element(kind: Exclude<FieldKind, { kind: 'object' | 'array' | 'dateTime' }> | ElementKind, value: unknown, path: string): void {
    const fits =
      kind.kind === 'number' ? typeof value === 'number' && Number.isFinite(value)
      : kind.kind === 'boolean' ? typeof value === 'boolean'
      : typeof value === 'string' && (kind.kind === 'string' || kind.values.includes(value));
    if (fits) return;
    const expected = kind.kind === 'enum' ? `one of ${kind.values.join(', ')}` : `a ${kind.kind}`;
    const nullHint = value === null ? ' (use $exists for a missing field)' : '';
    this.refuse(path, 'isFieldKindValue', `must be ${expected}, not ${describe(value)}${nullHint}`);
  }
}

function serializedBytes(rule: unknown): number | undefined {
  try {
    const json = JSON.stringify(rule);
    return json === undefined ? undefined : Buffer.byteLength(json, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Why a rule may not run (empty when it may): the allow-listed operators only, fields of
 * the fact schema only (`fields`: segmentation's facts, or a service's own superset of them),
 * values of the field's kind, and bounded in depth and size. Never throws: a rule is whatever a client sent.
 */
export function ruleQueryProblems(rule: unknown, limits: RuleLimits = DEFAULT_RULE_LIMITS, fields: ReadonlyMap<string, FieldKind> = FACT_FIELDS): RuleProblem[] {
  const bytes = serializedBytes(rule);
  if (bytes === undefined) return [{ path: 'rule', rule: 'isJsonValue', message: 'the rule is not a JSON value' }];
  if (bytes > limits.maxBytes) return [{ path: 'rule', rule: 'isWithinSize', message: `the rule is ${bytes} bytes, more than ${limits.maxBytes}` }];
  const walk = new RuleWalk(limits, fields);
  try {
    walk.query(rule, 'rule', 1);
  } catch {
    walk.refuse('rule', 'isJsonValue', 'the rule could not be read as plain JSON');
  }
  return walk.problems;
}

/** Refuses a rule with its problems, one a line. */
export class RuleRefusedError extends Error {
  constructor(readonly problems: RuleProblem[]) {
    super(`rule refused:\n${problems.map((p) => `  ${p.path}: ${p.message} (${p.rule})`).join('\n')}`);
  }
}

function assertRule(rule: unknown, limits: RuleLimits, fields: ReadonlyMap<string, FieldKind> = FACT_FIELDS): Obj {
  const problems = ruleQueryProblems(rule, limits, fields);
  if (problems.length > 0) throw new RuleRefusedError(problems);
  return rule as Obj;
}

/** The streaming evaluation (ADR 0004): a rule that passed validation, tested in memory with mingo. Throws RuleRefusedError otherwise. */
export function compileRule<F extends object = SegmentFacts>(rule: unknown, limits: RuleLimits = DEFAULT_RULE_LIMITS, fields: ReadonlyMap<string, FieldKind> = FACT_FIELDS): (facts: F) => boolean {
  const query = new Query(structuredClone(assertRule(rule, limits, fields)), {});
  return (facts) => query.test(facts as unknown as Record<string, unknown>);
}

function prefixed(query: Obj, prefix: string): Obj {
  const out: Obj = {};
  for (const [key, value] of Object.entries(query)) {
    if (LOGICAL.has(key)) out[key] = (value as Obj[]).map((branch) => prefixed(branch, prefix));
    else out[`${prefix}${key}`] = structuredClone(value);
  }
  return out;
}

/**
 * The batch evaluation (ADR 0004): the same rule as a MongoDB `find()` filter over the
 * state collection, where the facts sit under `facts` (`{ _id, facts }`). Throws RuleRefusedError for a refused rule.
 */
export function storedQuery(rule: unknown, prefix = 'facts.', limits: RuleLimits = DEFAULT_RULE_LIMITS): Record<string, unknown> {
  return prefixed(assertRule(rule, limits), prefix);
}

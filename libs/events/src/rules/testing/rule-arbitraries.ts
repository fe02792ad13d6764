import fc from 'fast-check';
import { FACT_FIELDS, FieldKind } from '../fact-fields';

/** Numbers the facts and the rules share, so comparisons hit: boundaries, fractions, int32 and beyond. */
const NUMBERS = [-5_000_000, -1, 0, 0.5, 1, 2, 3, 5, 30, 60, 2.5, 600_000_000, 3_000_000_000, 9_007_199_254_740_991];
const STRINGS = ['', '18-25', '26-35', 'BR001', 'br001', '中文', 'ä'];
const TAGS = ['PAYROLL', 'SENIOR', 'CROSS_BORDER', 'DIGITAL_ACTIVE', 'X'];

type Leaf = Exclude<FieldKind, { kind: 'object' }>;

/** The leaf field paths (every path but sub-documents), with their kinds. */
export const LEAF_FIELDS: [string, Leaf][] = [...FACT_FIELDS].filter((e): e is [string, Leaf] => e[1].kind !== 'object');

const SUB_DOCUMENTS = [...FACT_FIELDS].filter(([, kind]) => kind.kind === 'object').map(([path]) => path);

function scalar(kind: Leaf, numbers: readonly number[] = NUMBERS): fc.Arbitrary<unknown> {
  switch (kind.kind) {
    case 'number':
      return fc.constantFrom(...numbers);
    case 'string':
      return fc.constantFrom(...STRINGS);
    case 'enum':
      return fc.constantFrom(...kind.values);
    case 'boolean':
      return fc.boolean();
    case 'dateTime':
      return fc.constantFrom('2026-11-30T10:00:00+08:00', '2026-11-30T02:00:00Z');
    case 'array':
      return kind.element.kind === 'enum' ? fc.constantFrom(...kind.element.values) : fc.constantFrom(...TAGS);
  }
}

/** A value a facts document holds at a leaf: arrays of 0–4 distinct elements. */
function factValue(kind: Leaf, numbers: readonly number[]): fc.Arbitrary<unknown> {
  return kind.kind === 'array' ? fc.uniqueArray(scalar(kind), { maxLength: 4 }) : scalar(kind, numbers);
}

function setPath(doc: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let at = doc;
  for (const part of parts.slice(0, -1)) at = (at[part] ??= {}) as Record<string, unknown>;
  at[parts[parts.length - 1]] = value;
}

const ABSENT = Symbol('absent');

/**
 * A facts document over the given fields, each with a value, absent, null (the contract's
 * optional fields let null through) or present as `undefined` (an optional field a mapper
 * copied across). Numbers are drawn from `numbers` (default: boundaries, fractions, int32 and beyond).
 */
export function factsDocument(fields: [string, Leaf][], numbers: readonly number[] = NUMBERS): fc.Arbitrary<Record<string, unknown>> {
  const slot = (kind: Leaf) =>
    fc.oneof({ arbitrary: factValue(kind, numbers), weight: 4 }, { arbitrary: fc.constant(ABSENT), weight: 2 }, { arbitrary: fc.constantFrom(null, undefined), weight: 1 });
  return fc.tuple(...fields.map(([, kind]) => slot(kind))).map((values) => {
    const doc: Record<string, unknown> = {};
    values.forEach((v, i) => v !== ABSENT && setPath(doc, fields[i][0], v));
    return doc;
  });
}

const some = <T>(arb: fc.Arbitrary<T>, minLength = 0) => fc.uniqueArray(arb, { minLength, maxLength: 4 });

/** Operators on one field, from the whitelist, with values of its kind. */
function fieldCondition(kind: Leaf): fc.Arbitrary<unknown> {
  const v = scalar(kind);
  const equality = [
    v,
    v.map(($eq) => ({ $eq })),
    v.map(($ne) => ({ $ne })),
    some(v).map(($in) => ({ $in })),
    some(v).map(($nin) => ({ $nin })),
    some(v, 1).map(($in) => ({ $not: { $in } })),
    v.map(($eq) => ({ $not: { $eq } })),
  ];
  const exists = [fc.boolean().map(($exists) => ({ $exists })), fc.boolean().map(($exists) => ({ $not: { $exists } }))];
  switch (kind.kind) {
    case 'dateTime':
      return fc.oneof(...exists);
    case 'number': {
      const range = fc.constantFrom('$gt', '$gte', '$lt', '$lte');
      return fc.oneof(
        ...equality,
        ...exists,
        fc.tuple(range, v).map(([op, x]) => ({ [op]: x })),
        fc.tuple(range, v).map(([op, x]) => ({ $not: { [op]: x } })),
        fc.tuple(v, v).map(([a, b]) => ({ $gte: Math.min(a as number, b as number), $lt: Math.max(a as number, b as number) })),
      );
    }
    case 'array':
      return fc.oneof(
        ...equality,
        ...exists,
        some(v, 1).map(($all) => ({ $all })),
        some(v, 1).map(($all) => ({ $not: { $all } })),
        fc.integer({ min: 0, max: 3 }).map(($size) => ({ $size })),
        fc.integer({ min: 0, max: 3 }).map(($size) => ({ $not: { $size } })),
        fc.oneof(v.map(($eq) => ({ $eq })), some(v, 1).map(($in) => ({ $in }))).chain((body) =>
          fc.constantFrom({ $elemMatch: body }, { $not: { $elemMatch: body } }),
        ),
      );
    default:
      return fc.oneof(...equality, ...exists);
  }
}

/** Whitelisted rules over the given fields: field conditions combined with $and, $or and $nor, a few levels deep. */
export function ruleOver(fields: [string, Leaf][]): fc.Arbitrary<Record<string, unknown>> {
  const leaf = fc.constantFrom(...fields).chain(([path, kind]) => fieldCondition(kind).map((c) => ({ [path]: c })));
  // The sub-documents above the fields (`byCategory30d`, `byCategory30d.PURCHASE`): $exists only.
  const parents = SUB_DOCUMENTS.filter((p) => fields.some(([f]) => f.startsWith(`${p}.`)));
  const condition = parents.length === 0 ? leaf : fc.oneof({ arbitrary: leaf, weight: 4 }, fc.tuple(fc.constantFrom(...parents), fc.boolean()).map(([p, $exists]) => ({ [p]: { $exists } })));
  const { rule } = fc.letrec<{ rule: Record<string, unknown> }>((tie) => ({
    rule: fc.oneof(
      { depthSize: 'small', maxDepth: 4, withCrossShrink: true },
      condition,
      fc.array(condition, { minLength: 1, maxLength: 3 }).map((cs) => Object.assign({}, ...cs) as Record<string, unknown>),
      fc.tuple(fc.constantFrom('$and', '$or', '$nor'), fc.array(tie('rule'), { minLength: 1, maxLength: 3 })).map(([op, rules]) => ({ [op]: rules })),
    ),
  }));
  return rule;
}

/** A handful of fields (so rules and documents meet), documents over them, and rules over them. */
export function rulesAndFacts(docs: { min: number; max: number }, rules: number) {
  return fc
    .shuffledSubarray(LEAF_FIELDS, { minLength: 1, maxLength: 5 })
    .chain((fields) => fc.record({ facts: fc.array(factsDocument(fields), { minLength: docs.min, maxLength: docs.max }), rules: fc.array(ruleOver(fields), { minLength: 1, maxLength: rules }) }));
}

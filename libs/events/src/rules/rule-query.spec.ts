import fc from 'fast-check';
import { LEAF_FIELDS, ruleOver } from './testing/rule-arbitraries';
import { sampleFacts } from './testing/sample-facts';
import { FACT_FIELDS } from './fact-fields';
import { DEFAULT_RULE_LIMITS, RULE_OPERATORS, RuleRefusedError, compileRule, ruleQueryProblems, storedQuery } from './rule-query';

describe('ruleQueryProblems: what a rule may say', () => {
  it.each<[string, Record<string, unknown>]>([
    ['a bare value (implicit $eq)', { tier: 'GOLD' }],
    ['$eq', { aumMinor: { $eq: 600_000_000 } }],
    ['$ne', { churnBand: { $ne: 'HIGH' } }],
    ['$gt $gte $lt $lte', { age: { $gt: 17, $gte: 18, $lt: 31, $lte: 30 } }],
    ['$in', { riskTolerance: { $in: ['R4', 'R5'] } }],
    ['$nin', { productsHeld: { $nin: ['MORTGAGE'] } }],
    ['$exists', { clvMinor: { $exists: true }, consents: { $exists: false } }],
    ['$all', { tags: { $all: ['PAYROLL', 'SENIOR'] } }],
    ['$size', { productsHeld: { $size: 1 } }],
    ['$elemMatch with $in', { productsHeld: { $elemMatch: { $in: ['WEALTH', 'FUND'] } } }],
    ['$elemMatch with $eq', { tags: { $elemMatch: { $eq: 'PAYROLL' } } }],
    ['$not', { latestCsat: { $not: { $gt: 2 } } }],
    ['$and $or $nor', { $and: [{ $or: [{ tier: 'GOLD' }, { tier: 'DIAMOND' }] }, { $nor: [{ lifecycleStage: 'CHURNED' }] }] }],
    ['dotted tally, balance, consent and RFM paths', { 'byCategory30d.PURCHASE.n': { $gte: 5 }, 'byChannel90d.COUNTER.cnyMinor': { $gt: 0 }, 'balancesByType.WEALTH': { $gt: 0 }, 'consents.marketing.sms': true, 'rfm.r': { $gte: 4 } }],
    ['a negative number on a signed field', { aumChange30dMinor: { $lte: -100_000_000 } }],
    ['an empty rule (everyone)', {}],
  ])('accepts %s', (_, rule) => {
    expect(ruleQueryProblems(rule)).toEqual([]);
  });

  it('names every operator of the allow-list in the accepted table above', () => {
    expect([...RULE_OPERATORS].sort()).toEqual(['$all', '$and', '$elemMatch', '$eq', '$exists', '$gt', '$gte', '$in', '$lt', '$lte', '$ne', '$nin', '$nor', '$not', '$or', '$size']);
  });

  it.each<[string, unknown, string, string]>([
    ['$where', { $or: [{ tier: 'GOLD' }, { aumMinor: { $where: 'sleep(1)' } }] }, 'rule.$or[1].aumMinor.$where', 'isAllowedOperator'],
    ['$where at the top', { $where: 'this.aumMinor > 0' }, 'rule.$where', 'isAllowedOperator'],
    ['$function', { aumMinor: { $function: { body: 'return true', args: [], lang: 'js' } } }, 'rule.aumMinor.$function', 'isAllowedOperator'],
    ['$expr', { $expr: { $gt: ['$aumMinor', '$liabilitiesMinor'] } }, 'rule.$expr', 'isAllowedOperator'],
    ['$accumulator', { aumMinor: { $accumulator: {} } }, 'rule.aumMinor.$accumulator', 'isAllowedOperator'],
    ['$jsonSchema', { $jsonSchema: { required: ['aumMinor'] } }, 'rule.$jsonSchema', 'isAllowedOperator'],
    ['$regex (refused by default)', { ageBand: { $regex: '^(a+)+$' } }, 'rule.ageBand.$regex', 'isAllowedOperator'],
    ['$text', { $text: { $search: 'x' } }, 'rule.$text', 'isAllowedOperator'],
    ['an unknown operator', { age: { $between: [1, 2] } }, 'rule.age.$between', 'isAllowedOperator'],
    ['a logical operator on a field', { age: { $or: [{ $gt: 1 }] } }, 'rule.age.$or', 'isAllowedOperator'],
    ['$not at the top', { $not: { tier: 'GOLD' } }, 'rule.$not', 'isAllowedOperator'],
    ['$not inside $not', { age: { $not: { $not: { $gt: 1 } } } }, 'rule.age.$not.$not', 'isAllowedOperator'],
    ['$ne inside $elemMatch (FerretDB v1)', { tags: { $elemMatch: { $ne: 'X' } } }, 'rule.tags.$elemMatch.$ne', 'isAllowedOperator'],
    ['two conditions inside $elemMatch (FerretDB v1)', { productsHeld: { $elemMatch: { $eq: 'FUND', $in: ['WEALTH'] } } }, 'rule.productsHeld.$elemMatch', 'isAllowedOperator'],
    ['$nin inside $elemMatch (FerretDB v1)', { tags: { $elemMatch: { $nin: ['X'] } } }, 'rule.tags.$elemMatch.$nin', 'isAllowedOperator'],
    ['an unknown field', { $and: [{ aumMinor: { $gt: 0 } }, { salary: { $gt: 0 } }] }, 'rule.$and[1].salary', 'isKnownField'],
    ['a PII field', { name: '张三' }, 'rule.name', 'isKnownField'],
    ['$ inside a path', { 'aumMinor.$where': 1 }, 'rule.aumMinor.$where', 'isKnownField'],
    ['an empty path segment', { 'rfm..r': 1 }, 'rule.rfm..r', 'isKnownField'],
    ['a trailing dot', { 'aumMinor.': 1 }, 'rule.aumMinor.', 'isKnownField'],
    ['an array index into a field', { 'productsHeld.0': 'WEALTH' }, 'rule.productsHeld.0', 'isKnownField'],
    ['an unknown tally category', { 'byCategory30d.BITCOIN.n': { $gt: 0 } }, 'rule.byCategory30d.BITCOIN.n', 'isKnownField'],
    ['__proto__', JSON.parse('{"__proto__": {"polluted": true}}'), 'rule.__proto__', 'isSafeKey'],
    ['constructor', { constructor: { prototype: {} } }, 'rule.constructor', 'isSafeKey'],
    ['a prototype key in a dotted path', { 'rfm.__proto__.r': 1 }, 'rule.rfm.__proto__.r', 'isSafeKey'],
    ['a string where a number is compared', { aumMinor: { $gte: '6000000' } }, 'rule.aumMinor.$gte', 'isFieldKindValue'],
    ['a number in $in of an enum', { tier: { $in: ['GOLD', 1] } }, 'rule.tier.$in[1]', 'isFieldKindValue'],
    ['a value outside the enum', { lifecycleStage: 'SLEEPING' }, 'rule.lifecycleStage', 'isFieldKindValue'],
    ['null (use $exists)', { clvMinor: null }, 'rule.clvMinor', 'isFieldKindValue'],
    ['a boolean field compared with a string', { 'consents.marketing.sms': 'yes' }, 'rule.consents.marketing.sms', 'isFieldKindValue'],
    ['$exists with a number', { age: { $exists: 1 } }, 'rule.age.$exists', 'isFieldKindValue'],
    ['$size negative', { tags: { $size: -1 } }, 'rule.tags.$size', 'isFieldKindValue'],
    ['$size on a number field', { age: { $size: 1 } }, 'rule.age.$size', 'isOperatorForField'],
    ['$gt on an enum', { tier: { $gt: 'GOLD' } }, 'rule.tier.$gt', 'isOperatorForField'],
    ['$gt on an array', { tags: { $gt: 'A' } }, 'rule.tags.$gt', 'isOperatorForField'],
    ['a range on a date-time', { lastActivityAt: { $gte: '2026-01-01T00:00:00Z' } }, 'rule.lastActivityAt.$gte', 'isOperatorForField'],
    ['equality on a sub-document', { consents: { $eq: 1 } }, 'rule.consents.$eq', 'isOperatorForField'],
    ['a literal sub-document', { rfm: { r: 5 } }, 'rule.rfm', 'isAllowedValue'],
    ['$in not an array', { tier: { $in: 'GOLD' } }, 'rule.tier.$in', 'isArray'],
    ['an empty $or', { $or: [] }, 'rule.$or', 'isNonEmptyArray'],
    ['an empty $all', { tags: { $all: [] } }, 'rule.tags.$all', 'isNonEmptyArray'],
    ['a $and branch not an object', { $and: [1] }, 'rule.$and[0]', 'isQueryObject'],
    ['a rule that is an array', [{ tier: 'GOLD' }], 'rule', 'isQueryObject'],
    ['a rule that is a string', '{"tier":"GOLD"}', 'rule', 'isQueryObject'],
    ['a class instance', new Date(0), 'rule', 'isQueryObject'],
    ['a regular expression as a value', { ageBand: /18/ }, 'rule.ageBand', 'isFieldKindValue'],
    ['a function as a value', { ageBand: () => true }, 'rule.ageBand', 'isFieldKindValue'],
    ['a BigInt', { age: 1n }, 'rule', 'isJsonValue'],
  ])('refuses %s, naming the path and the rule', (_, rule, path, code) => {
    const problems = ruleQueryProblems(rule);
    expect(problems).toContainEqual(expect.objectContaining({ path, rule: code }));
    expect(problems.every((p) => p.message.length > 0)).toBe(true);
  });

  describe('hostile input: a problem, never a throw or a hang', () => {
    const nested = (depth: number, leaf: object) => Array.from({ length: depth }).reduce<object>((inner) => ({ $and: [inner] }), leaf);

    it.each<[string, () => unknown, string]>([
      ['200-deep $and nesting', () => nested(200, { tier: 'GOLD' }), 'isWithinDepth'],
      ['nesting one past the depth limit', () => nested(DEFAULT_RULE_LIMITS.maxDepth, { tier: 'GOLD' }), 'isWithinDepth'],
      ['200-deep $not nesting', () => ({ age: Array.from({ length: 200 }).reduce<object>((inner) => ({ $not: inner }), { $gt: 1 }) }), 'isAllowedOperator'],
      ['a 1 MB rule', () => ({ tags: { $in: Array.from({ length: 100_000 }, (_, i) => `TAG_${i}`) } }), 'isWithinSize'],
      ['a 1 MB field name', () => ({ ['a'.repeat(1_000_000)]: 1 }), 'isWithinSize'],
      ['more than the limit of fields and operators', () => ({ $or: Array.from({ length: 300 }, () => ({ age: 1 })) }), 'isWithinSize'],
      ['an $in longer than the array limit', () => ({ age: { $in: Array.from({ length: 501 }, (_, i) => i) } }), 'isWithinSize'],
      ['a cycle', () => { const r: Record<string, unknown> = { $and: [] }; (r.$and as unknown[]).push(r); return r; }, 'isJsonValue'],
      ['100 000-deep nesting', () => nested(100_000, { tier: 'GOLD' }), 'isJsonValue'],
      ['a getter that throws', () => Object.defineProperty({}, 'age', { enumerable: true, get() { throw new Error('boom'); } }), 'isJsonValue'],
    ])('%s', (_, make, code) => {
      const rule = make();
      const started = performance.now();
      let problems: ReturnType<typeof ruleQueryProblems> = [];
      expect(() => (problems = ruleQueryProblems(rule))).not.toThrow();
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(problems.map((p) => p.rule)).toContain(code);
    });

    it('depth just within the limit is accepted', () => {
      expect(ruleQueryProblems(nested(DEFAULT_RULE_LIMITS.maxDepth - 2, { age: { $gt: 1 } }))).toEqual([]);
    });

    it('lists at most 50 problems for a rule full of them', () => {
      const rule = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`unknown${i}`, 1]));
      expect(ruleQueryProblems(rule)).toHaveLength(50);
    });

    it('takes its limits as an argument', () => {
      expect(ruleQueryProblems({ age: { $in: [1, 2, 3] } }, { ...DEFAULT_RULE_LIMITS, maxArrayItems: 2 })).toEqual([expect.objectContaining({ path: 'rule.age.$in', rule: 'isWithinSize' })]);
    });
  });

  it('accepts every rule the agreement test generates (the generator speaks the validated language)', () => {
    fc.assert(fc.property(fc.shuffledSubarray(LEAF_FIELDS, { minLength: 1, maxLength: 5 }).chain(ruleOver), (rule) => ruleQueryProblems(rule).length === 0));
  });
});

describe('compileRule and storedQuery', () => {
  it('evaluates a rule on facts', () => {
    const matches = compileRule({ tier: { $in: ['GOLD', 'DIAMOND'] }, tags: 'PAYROLL', 'rfm.r': { $gte: 4 } });
    expect(matches(sampleFacts({ tier: 'GOLD', tags: ['PAYROLL'], rfm: { r: 4, f: 1, m: 1, segment: 'New' } }))).toBe(true);
    expect(matches(sampleFacts({ tier: 'GOLD', tags: ['PAYROLL'], rfm: { r: 3, f: 1, m: 1, segment: 'New' } }))).toBe(false);
    expect(matches(sampleFacts({ tier: 'SILVER', tags: ['PAYROLL'], rfm: { r: 5, f: 1, m: 1, segment: 'New' } }))).toBe(false);
  });

  it('refuses a rule with problems, listing them', () => {
    expect(() => compileRule({ aumMinor: { $where: 'true' } })).toThrow(RuleRefusedError);
    expect(() => storedQuery({ salary: 1 })).toThrow(/rule\.salary: "salary" is not a fact field/);
  });

  it("reads a service's own fields beside the facts only when it names them", () => {
    const fields = new Map([...FACT_FIELDS, ['segments', { kind: 'array', element: { kind: 'string' } } as const]]);
    const rule = { segments: 'seg-young', tier: 'GOLD' };
    expect(ruleQueryProblems(rule).map((p) => p.path)).toEqual(['rule.segments']);
    expect(ruleQueryProblems(rule, DEFAULT_RULE_LIMITS, fields)).toEqual([]);
    const matches = compileRule<ReturnType<typeof sampleFacts> & { segments: string[] }>(rule, DEFAULT_RULE_LIMITS, fields);
    expect(matches({ ...sampleFacts({ tier: 'GOLD' }), segments: ['seg-young'] })).toBe(true);
    expect(matches({ ...sampleFacts({ tier: 'GOLD' }), segments: [] })).toBe(false);
  });

  it('is not changed by later edits of the rule it was compiled from', () => {
    const rule = { tier: 'GOLD' };
    const matches = compileRule(rule);
    rule.tier = 'MASS';
    expect(matches(sampleFacts({ tier: 'GOLD' }))).toBe(true);
  });

  it('prefixes every field path, inside $and/$or/$nor too, and leaves operators and values alone', () => {
    expect(storedQuery({ tier: 'GOLD', $or: [{ 'rfm.r': { $gte: 4 } }, { $nor: [{ tags: { $elemMatch: { $in: ['X'] } } }] }] })).toEqual({
      'facts.tier': 'GOLD',
      $or: [{ 'facts.rfm.r': { $gte: 4 } }, { $nor: [{ 'facts.tags': { $elemMatch: { $in: ['X'] } } }] }],
    });
    expect(storedQuery({ age: 1 }, 'state.')).toEqual({ 'state.age': 1 });
  });
});

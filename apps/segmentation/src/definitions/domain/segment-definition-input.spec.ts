import { DEFAULT_RULE_LIMITS } from '@meridian/events/rules';
import { segmentDefinitionInput } from './segment-definition-input';

const rule = { tier: 'GOLD' };
const fields = (body: unknown) => segmentDefinitionInput(body, DEFAULT_RULE_LIMITS).errors.map((e) => `${e.field} ${e.rule}`);

describe('segmentDefinitionInput', () => {
  it.each<[string, unknown, string[]]>([
    ['not an object', 'x', ['body isObject']],
    ['an array', [rule], ['body isObject']],
    ['null', null, ['body isObject']],
    ['no name', { rule }, ['name isLength']],
    ['a blank name', { name: '   ', rule }, ['name isLength']],
    ['a name of 101', { name: 'n'.repeat(101), rule }, ['name isLength']],
    ['a numeric name', { name: 5, rule }, ['name isLength']],
    ['a description too long', { name: 'n', description: 'd'.repeat(1_001), rule }, ['description isLength']],
    ['a description not text', { name: 'n', description: { a: 1 }, rule }, ['description isLength']],
    ['no rule', { name: 'n' }, ['rule isDefined']],
    ['an extra field', { name: 'n', rule, owner: 'x' }, ['owner whitelistValidation']],
    ['a rule that runs code', { name: 'n', rule: { $where: '1' } }, ['rule.$where isAllowedOperator']],
    ['a rule over an unknown field', { name: 'n', rule: { password: 'x' } }, ['rule.password isKnownField']],
    ['everything wrong at once', { rule: [1], x: 1 }, ['x whitelistValidation', 'name isLength', 'rule isQueryObject']],
  ])('refuses %s, naming each field and check', (_, body, expected) => {
    expect(fields(body)).toEqual(expected);
    expect(segmentDefinitionInput(body, DEFAULT_RULE_LIMITS).input).toBeUndefined();
  });

  it.each<[string, unknown, object]>([
    ['a name and a rule', { name: 'Gold', rule }, { name: 'Gold', rule }],
    ['a name of 100, a description of 1 000', { name: 'n'.repeat(100), description: 'd'.repeat(1_000), rule }, { name: 'n'.repeat(100), description: 'd'.repeat(1_000), rule }],
  ])('admits %s, as given', (_, body, input) => {
    expect(segmentDefinitionInput(body, DEFAULT_RULE_LIMITS)).toEqual({ input, errors: [] });
  });

  it('names at most ten unknown fields, each cut to 64 characters', () => {
    const body = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`${'k'.repeat(100)}${i}`, 1]));
    const errors = segmentDefinitionInput({ ...body, name: 'n', rule }, DEFAULT_RULE_LIMITS).errors;
    expect(errors).toHaveLength(10);
    expect(errors.every((e) => e.field.length === 64)).toBe(true);
  });
});

import shipped from '../classification/routing-table.v1.json';
import { RoutingTableError, loadRoutingTable, routingTableProblems } from './routing-table';

const clone = () => JSON.parse(JSON.stringify(shipped)) as Record<string, any>;
const withRule = (rule: unknown) => {
  const t = clone();
  t.rules.push(rule);
  return t;
};

describe('routing table validation (routingTableProblems)', () => {
  it('the shipped table has none', () => {
    expect(routingTableProblems(shipped)).toEqual([]);
  });

  it.each<[string, () => unknown, string]>([
    ['not an object', () => [], 'the routing table must be an object'],
    ['no version', () => ({ ...clone(), version: 0 }), 'version must be a whole number ≥ 1'],
    ['an unknown queue', () => withRule({ id: 'x.y', queue: 'MORTGAGES', phrases: ['zz'] }), 'x.y: queue "MORTGAGES" is not a queue'],
    ['an unknown category', () => withRule({ id: 'x.y', queue: 'LOANS', category: 'FRAUD', phrases: ['zz'] }), 'x.y: category "FRAUD" is not a category'],
    ['an empty phrase', () => withRule({ id: 'x.y', queue: 'LOANS', phrases: ['zz', ''] }), 'x.y: a phrase is empty ("")'],
    ['a phrase of spaces only', () => withRule({ id: 'x.y', queue: 'LOANS', phrases: ['\u3000 '] }), 'x.y: a phrase is empty'],
    ['a phrase that is not text', () => withRule({ id: 'x.y', queue: 'LOANS', phrases: [7] }), 'x.y: a phrase is empty (7)'],
    ['neither queue nor category', () => withRule({ id: 'x.y', phrases: ['zz'] }), 'x.y: a rule needs a queue, a category or both'],
    ['no phrases', () => withRule({ id: 'x.y', queue: 'LOANS', phrases: [] }), 'x.y: phrases must be a non-empty list'],
    ['a duplicate id', () => withRule({ id: 'cards.lost', queue: 'CARDS', phrases: ['zz'] }), 'id cards.lost is used twice'],
    ['a malformed id', () => withRule({ id: 'Cards Lost', queue: 'CARDS', phrases: ['zz'] }), 'id must be a dotted lower-case name'],
    ['a phrase in two rules', () => withRule({ id: 'x.y', queue: 'LOANS', phrases: ['贷款'] }), 'x.y: phrase "贷款" is also in loans.loan'],
    ['a phrase repeated once normalised (traditional, case)', () => withRule({ id: 'x.y', queue: 'LOANS', phrases: ['zz', 'ZZ'] }), 'x.y: phrase "zz" is also earlier in this rule'],
    ['a traditional phrase its simplified twin already holds', () => withRule({ id: 'x.y', queue: 'CARDS', phrases: ['掛失'] }), 'x.y: phrase "挂失" is also in cards.lost'],
    ['an except phrase voiding nothing', () => withRule({ id: 'x.y', queue: 'LOANS', phrases: ['zz'], except: ['not yy'] }), 'x.y: except "not yy" contains none of the rule\'s phrases'],
    ['a missing kind', () => ({ ...clone(), kinds: { ...clone().kinds, DISPUTE: undefined } }), 'kinds.DISPUTE is missing'],
    ['a kind with an unknown queue', () => ({ ...clone(), kinds: { ...clone().kinds, INQUIRY: { queue: 'HELP', textRefinesCategory: true } } }), 'kinds.INQUIRY.queue "HELP" is not a queue'],
    ['a fold of two characters', () => ({ ...clone(), traditionalToSimplified: { 掛: '挂失' } }), 'traditionalToSimplified maps one character to another, not: 掛'],
    ['no rules', () => ({ ...clone(), rules: [] }), 'rules must be a non-empty list'],
  ])('%s is refused', (_, table, message) => {
    expect(routingTableProblems(table())).toEqual([expect.stringContaining(message)]);
  });

  it('loading a bad table throws with every problem', () => {
    const t = withRule({ id: 'cards.lost', queue: 'NOWHERE', phrases: [''] });
    expect(() => loadRoutingTable(t)).toThrow(RoutingTableError);
    try {
      loadRoutingTable(t);
    } catch (e) {
      expect((e as RoutingTableError).problems).toHaveLength(3);
    }
  });
});

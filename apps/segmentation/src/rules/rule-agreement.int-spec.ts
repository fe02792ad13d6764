import fc from 'fast-check';
import type { Connection } from 'mongoose';
import { dropTestMongo, testMongo } from '@meridian/shared/testing';
import { SegmentFacts, compileRule, ruleQueryProblems, storedFacts, storedQuery } from '@meridian/events/rules';
import { loadTagCatalogue } from '../tags/domain/tag-catalogue';
import { LEAF_FIELDS, factsDocument, rulesAndFacts } from '@meridian/events/testing';

/** The numbers a rule compares with, and one either side: facts that sit on the catalogue's boundaries. */
function numbersIn(value: unknown): number[] {
  if (typeof value === 'number') return [value - 1, value, value + 1];
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(numbersIn);
  return [];
}

/**
 * ADR 0004 and principle 8: the streaming path (mingo on one customer's facts) and the
 * sweep (the same rule as a find() on the state collection) agree on who is a member, for
 * any rule the validator accepts. Against the real MongoDB-wire server. AGREEMENT_RUNS
 * runs the first property longer (e.g. 1500) when the rule language changes.
 */
describe('rule agreement: mingo in memory and the database find the same members', () => {
  let db: Connection;

  beforeAll(async () => {
    db = await testMongo('rule-agreement');
  });
  afterAll(async () => {
    await dropTestMongo(db);
  });

  const stateCollection = () => db.collection<{ _id: string; facts: Record<string, unknown> }>('segment_states');
  const insertFacts = async (states: ReturnType<typeof stateCollection>, facts: Record<string, unknown>[]) => {
    await states.deleteMany({});
    await states.insertMany(facts.map((f, i) => ({ _id: `c${i}`, facts: storedFacts(f as unknown as SegmentFacts) as unknown as Record<string, unknown> })));
  };
  const agree = async (states: ReturnType<typeof stateCollection>, facts: Record<string, unknown>[], rule: unknown) => {
    const matches = compileRule(rule);
    const streamed = facts.flatMap((f, i) => (matches(f as unknown as SegmentFacts) ? [`c${i}`] : []));
    const found = (await states.find(storedQuery(rule), { projection: { _id: 1 } }).toArray()).map((d) => d._id).sort();
    expect({ rule, members: found }).toEqual({ rule, members: streamed.sort() });
    return found.length;
  };

  it('for random facts and random whitelisted rules over the fact schema', async () => {
    const states = stateCollection();
    await fc.assert(
      fc.asyncProperty(rulesAndFacts({ min: 30, max: 50 }, 8), async ({ facts, rules }) => {
        await insertFacts(states, facts);
        for (const rule of rules) {
          expect(ruleQueryProblems(rule)).toEqual([]);
          await agree(states, facts, rule);
        }
      }),
      { numRuns: Number(process.env.AGREEMENT_RUNS ?? 50) },
    );
  });

  it('for every rule of the shipped tag catalogue, on random facts over every field that sit on its boundaries', async () => {
    const states = stateCollection();
    const catalogue = loadTagCatalogue();
    const numbers = [...new Set([0, ...catalogue.tags.flatMap((t) => numbersIn(t.rule))])];
    let members = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(factsDocument(LEAF_FIELDS, numbers), { minLength: 30, maxLength: 40 }), async (facts) => {
        await insertFacts(states, facts);
        for (const tag of catalogue.tags) members += await agree(states, facts, tag.rule);
      }),
      { numRuns: 5 },
    );
    expect(members).toBeGreaterThan(0);
  });
});

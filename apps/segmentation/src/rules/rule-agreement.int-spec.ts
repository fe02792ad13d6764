import fc from 'fast-check';
import type { Connection } from 'mongoose';
import { dropTestMongo, testMongo } from '@meridian/shared/testing';
import type { SegmentFacts } from '../segments/domain/segment-facts';
import { compileRule, ruleQueryProblems, storedQuery } from './domain/rule-query';
import { storedFacts } from './domain/stored-facts';
import { rulesAndFacts } from './testing/rule-arbitraries';

/**
 * ADR 0004 and principle 8: the streaming path (mingo on one customer's facts) and the
 * sweep (the same rule as a find() on the state collection) agree on who is a member, for
 * any rule the validator accepts. Against the real MongoDB-wire server.
 */
describe('rule agreement: mingo in memory and the database find the same members', () => {
  let db: Connection;

  beforeAll(async () => {
    db = await testMongo('rule-agreement');
  });
  afterAll(async () => {
    await dropTestMongo(db);
  });

  it('for random facts and random whitelisted rules over the fact schema', async () => {
    const states = db.collection<{ _id: string; facts: Record<string, unknown> }>('segment_states');
    await fc.assert(
      fc.asyncProperty(rulesAndFacts({ min: 30, max: 50 }, 8), async ({ facts, rules }) => {
        await states.deleteMany({});
        await states.insertMany(facts.map((f, i) => ({ _id: `c${i}`, facts: storedFacts(f as unknown as SegmentFacts) as unknown as Record<string, unknown> })));
        for (const rule of rules) {
          expect(ruleQueryProblems(rule)).toEqual([]);
          const matches = compileRule(rule);
          const streamed = facts.flatMap((f, i) => (matches(f as unknown as SegmentFacts) ? [`c${i}`] : []));
          const found = (await states.find(storedQuery(rule), { projection: { _id: 1 } }).toArray()).map((d) => d._id).sort();
          expect({ rule, members: found }).toEqual({ rule, members: streamed.sort() });
        }
      }),
      { numRuns: 50 },
    );
  });
});

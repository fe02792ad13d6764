import { Lead, rescore } from './lead';
import type { LeadScore } from './lead-score';

const rules = { qualifyAt: 40, ownRmAt: 70, reopenAfterDays: 90 };
const customer = { customerId: 'C1', branchId: 'BR1', rmId: 'RM-OWN' };
const scored = (score: number): LeadScore => ({ score, factors: [{ factor: 'AUM', points: score, detail: 'test' }] });
const at = '2026-03-01T00:00:00.000Z';
const open = (over: Partial<Lead> = {}): Lead => ({ leadId: 'lead-C1-1', customerId: 'C1', number: 1, status: 'ASSIGNED', score: 50, factors: [], scoredAt: at, branchId: 'BR1', ownRmId: 'RM-OWN', rmId: 'RM-POOL', assignedHow: 'LEAST_LOADED', assignedAt: at, assignments: 1, openedAt: at, ...over });

describe('rescore: a customer’s lead after a new score', () => {
  it('opens no lead below the qualifying score', () => {
    expect(rescore(undefined, scored(39), customer, at, rules)).toEqual({ lead: undefined, changed: false });
  });

  it('opens a lead at the qualifying score, for the branch’s least-loaded RM below 70', () => {
    expect(rescore(undefined, scored(40), customer, at, rules)).toEqual(expect.objectContaining({ changed: true, assign: { how: 'LEAST_LOADED' }, lead: expect.objectContaining({ leadId: 'lead-C1-1', status: 'UNASSIGNED', score: 40 }) }));
  });

  it('sends a lead of 70 or more to the customer’s own RM, or to the pool when they have none', () => {
    expect(rescore(undefined, scored(70), customer, at, rules).assign).toEqual({ how: 'OWN_RM', rmId: 'RM-OWN' });
    expect(rescore(undefined, scored(90), { customerId: 'C1', branchId: 'BR1' }, at, rules).assign).toEqual({ how: 'LEAST_LOADED' });
  });

  it('moves a pooled lead to the own RM once it reaches 70, and leaves it where it is otherwise', () => {
    expect(rescore(open(), scored(75), customer, '2026-03-02T00:00:00.000Z', rules).assign).toEqual({ how: 'OWN_RM', rmId: 'RM-OWN' });
    const pooled = rescore(open(), scored(60), customer, '2026-03-02T00:00:00.000Z', rules);
    expect([pooled.changed, pooled.assign]).toEqual([true, undefined]);
    expect(rescore(open({ rmId: 'RM-OWN', assignedHow: 'OWN_RM' }), scored(75), customer, '2026-03-02T00:00:00.000Z', rules).assign).toBeUndefined();
    // The pool had picked the own RM: theirs now as their own customer's, without moving.
    const pooledToOwn = rescore(open({ rmId: 'RM-OWN' }), scored(75), customer, '2026-03-02T00:00:00.000Z', rules);
    expect([pooledToOwn.assign, pooledToOwn.changed, pooledToOwn.lead?.assignedHow]).toEqual([undefined, true, 'OWN_RM']);
  });

  it('keeps an open lead open when its score falls, and never takes an older event’s score', () => {
    expect(rescore(open(), scored(10), customer, '2026-03-02T00:00:00.000Z', rules).lead).toEqual(expect.objectContaining({ status: 'ASSIGNED', score: 10 }));
    expect(rescore(open(), scored(99), customer, '2026-02-01T00:00:00.000Z', rules)).toEqual(expect.objectContaining({ changed: false, lead: expect.objectContaining({ score: 50 }) }));
  });

  it('asks again for an RM while the lead is unassigned', () => {
    expect(rescore(open({ status: 'UNASSIGNED', rmId: undefined }), scored(50), customer, at, rules).assign).toEqual({ how: 'LEAST_LOADED' });
  });

  it('reopens a closed lead, as the next one, only after the cool-off', () => {
    const closed = open({ status: 'DECLINED', closedAt: at });
    expect(rescore(closed, scored(80), customer, '2026-05-01T00:00:00.000Z', rules).changed).toBe(false);
    expect(rescore(closed, scored(80), customer, '2026-06-01T00:00:00.000Z', rules).lead).toEqual(expect.objectContaining({ leadId: 'lead-C1-2', number: 2, status: 'UNASSIGNED' }));
  });
});

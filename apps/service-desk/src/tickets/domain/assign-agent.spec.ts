import fc from 'fast-check';
import { AgentLoad, assignAgent } from './assign-agent';

const agent = (agentId: string, over: Partial<AgentLoad> = {}): AgentLoad => ({ agentId, queues: ['CARDS'], capacity: 5, openTickets: 0, assignedInPeriod: 0, available: true, ...over });

describe('assigning an agent (least loaded, capacity-aware)', () => {
  it.each<[string, AgentLoad[], ReturnType<typeof assignAgent>]>([
    ['the least loaded', [agent('a', { openTickets: 3 }), agent('b', { openTickets: 1 }), agent('c', { openTickets: 2 })], { assigned: true, agentId: 'b' }],
    ['one below capacity is taken', [agent('a', { openTickets: 4, capacity: 5 })], { assigned: true, agentId: 'a' }],
    ['one at capacity is skipped, even when least loaded by count', [agent('a', { openTickets: 2, capacity: 2 }), agent('b', { openTickets: 4, capacity: 10 })], { assigned: true, agentId: 'b' }],
    ['one over capacity (capacity lowered) is skipped', [agent('a', { openTickets: 6, capacity: 5 }), agent('b', { openTickets: 5, capacity: 6 })], { assigned: true, agentId: 'b' }],
    ['a tie: the fewest assigned in the period', [agent('a', { openTickets: 1, assignedInPeriod: 9 }), agent('b', { openTickets: 1, assignedInPeriod: 4 })], { assigned: true, agentId: 'b' }],
    ['a full tie: the smaller id', [agent('b'), agent('a'), agent('c')], { assigned: true, agentId: 'a' }],
    ['another queue\'s agent is not considered', [agent('a', { queues: ['LOANS'] }), agent('b', { openTickets: 4 })], { assigned: true, agentId: 'b' }],
    ['an agent of several queues is', [agent('a', { queues: ['LOANS', 'CARDS'] })], { assigned: true, agentId: 'a' }],
    ['an agent off shift is not', [agent('a', { available: false }), agent('b', { openTickets: 4 })], { assigned: true, agentId: 'b' }],
    ['no agent serves the queue', [agent('a', { queues: ['LOANS'] })], { assigned: false, reason: 'NO_AGENT_FOR_QUEUE' }],
    ['no agents at all', [], { assigned: false, reason: 'NO_AGENT_FOR_QUEUE' }],
    ['none on shift', [agent('a', { available: false })], { assigned: false, reason: 'NONE_AVAILABLE' }],
    ['everyone at capacity', [agent('a', { openTickets: 5 }), agent('b', { capacity: 0 })], { assigned: false, reason: 'ALL_AT_CAPACITY' }],
  ])('%s', (_, agents, expected) => {
    expect(assignAgent('CARDS', agents)).toEqual(expected);
  });

  it('picks an available agent of the queue with room and no lighter load, whatever the order of the list', () => {
    const agents = fc.uniqueArray(
      fc.record({ agentId: fc.string({ minLength: 1, maxLength: 3 }), queues: fc.subarray(['CARDS', 'LOANS'] as const), capacity: fc.nat(4), openTickets: fc.nat(5), assignedInPeriod: fc.nat(5), available: fc.boolean() }),
      { selector: (a) => a.agentId, maxLength: 8 },
    );
    fc.assert(
      fc.property(agents, (list) => {
        const result = assignAgent('CARDS', list);
        expect(assignAgent('CARDS', [...list].reverse())).toEqual(result);
        const eligible = list.filter((a) => a.queues.includes('CARDS') && a.available && a.openTickets < a.capacity);
        expect(result.assigned).toBe(eligible.length > 0);
        if (result.assigned) {
          const chosen = eligible.find((a) => a.agentId === result.agentId) as AgentLoad;
          expect(chosen).toBeDefined();
          expect(eligible.every((a) => a.openTickets >= chosen.openTickets)).toBe(true);
        }
      }),
    );
  });
});

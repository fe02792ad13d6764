import { openTicket } from './open-ticket';
import { DEFAULT_SERVICE_DESK_RULES as RULES } from './service-desk-rules';
import { transitionTicket } from './ticket-transitions';
import { isBreached, workListMember, workListParts, workListPlace } from './work-list';

describe('the work lists', () => {
  it('orders members by opening instant, then ticket id, as text', () => {
    const members = [workListMember(new Date('2026-03-02T10:00:00Z'), 'TKT-b'), workListMember(new Date('2026-03-02T09:59:59.999Z'), 'TKT-z'), workListMember(new Date('2026-03-02T10:00:00Z'), 'TKT-a'), workListMember(new Date('1999-01-01T00:00:00Z'), 'TKT-q')];
    expect([...members].sort().map((m) => m.split('|')[1])).toEqual(['TKT-q', 'TKT-z', 'TKT-a', 'TKT-b']);
    expect(members[0]).toBe('001772445600000|TKT-b');
  });

  it('a filter reads P1’s lists first, each named queue, status and breach flag once; an empty filter reads them all', () => {
    const groups = workListParts({ queues: ['LOANS', 'CARDS'], statuses: ['NEW'], priorities: ['P3', 'P1'], breached: true });
    expect(groups.map((g) => [g.priority, g.parts.map((p) => `${p.queue}:${p.status}:${p.breached}`)])).toEqual([
      ['P1', ['CARDS:NEW:true', 'LOANS:NEW:true']],
      ['P3', ['CARDS:NEW:true', 'LOANS:NEW:true']],
    ]);
    const every = workListParts({ queues: [], statuses: [], priorities: [] });
    expect(every.map((g) => g.priority)).toEqual(['P1', 'P2', 'P3']);
    expect(every[0].parts).toHaveLength(6 * 6 * 2);
  });

  it('a ticket is breached once either clock reached its breach, not at its warning', () => {
    const { ticket } = openTicket({ ticketId: 'T1', customerId: 'C1', classification: { category: 'CARD_LOSS', queue: 'CARDS', tableVersion: 1 } }, new Date('2026-03-02T10:00:00Z'), RULES);
    const warned = transitionTicket(ticket, { type: 'SLA_STAGE_REACHED', timer: 'FIRST_RESPONSE', stage: 'WARN' }, new Date('2026-03-02T10:12:00Z'), RULES);
    const breached = warned.ok && transitionTicket(warned.ticket, { type: 'SLA_STAGE_REACHED', timer: 'FIRST_RESPONSE', stage: 'BREACH' }, new Date('2026-03-02T10:15:00Z'), RULES);
    expect([isBreached(ticket), warned.ok && isBreached(warned.ticket), breached && breached.ok && isBreached(breached.ticket)]).toEqual([false, false, true]);
    expect(workListPlace(ticket)).toEqual({ queue: 'CARDS', status: 'NEW', priority: 'P1', breached: false, member: workListMember(ticket.openedAt, 'T1') });
  });
});

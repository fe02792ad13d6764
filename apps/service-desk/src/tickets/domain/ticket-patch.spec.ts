import { openTicket } from './open-ticket';
import { DEFAULT_SERVICE_DESK_RULES as RULES } from './service-desk-rules';
import { Ticket, TicketStatus } from './ticket';
import { TicketPatch, planPatch, reachableStatuses } from './ticket-patch';
import { TicketCommand, transitionTicket } from './ticket-transitions';

const T0 = new Date('2026-03-02T09:00:00+08:00');
const fresh = openTicket({ ticketId: 'T1', customerId: 'C1', classification: { category: 'COMPLAINT', queue: 'CARDS', tableVersion: 1 } }, T0, RULES).ticket;

function after(commands: TicketCommand[]): Ticket {
  return commands.reduce((t, c, i) => {
    const o = transitionTicket(t, c, new Date(T0.getTime() + (i + 1) * 60_000), RULES);
    if (!o.ok) throw new Error(`${c.type} refused`);
    return o.ticket;
  }, fresh);
}
const A: TicketCommand = { type: 'ASSIGN', assigneeId: 'A1' };
const AT: Record<TicketStatus, Ticket> = {
  NEW: fresh,
  ASSIGNED: after([A]),
  IN_PROGRESS: after([A, { type: 'START' }]),
  PENDING_CUSTOMER: after([A, { type: 'START' }, { type: 'AWAIT_CUSTOMER' }]),
  RESOLVED: after([A, { type: 'START' }, { type: 'RESOLVE' }]),
  CLOSED: after([A, { type: 'START' }, { type: 'RESOLVE' }, { type: 'CLOSE' }]),
};

describe('a PATCH as the state machine’s commands', () => {
  it.each<[TicketStatus, TicketPatch, TicketCommand[]]>([
    ['NEW', { assigneeId: 'A1' }, [A]],
    ['NEW', { status: 'ASSIGNED', assigneeId: 'A1' }, [A]],
    ['NEW', { status: 'IN_PROGRESS', assigneeId: 'A1' }, [A, { type: 'START' }]],
    ['ASSIGNED', { status: 'IN_PROGRESS' }, [{ type: 'START' }]],
    ['ASSIGNED', { assigneeId: 'A2', queue: 'LOANS' }, [{ type: 'ASSIGN', assigneeId: 'A2', queue: 'LOANS' }]],
    ['IN_PROGRESS', { queue: 'LOANS' }, [{ type: 'ASSIGN', assigneeId: 'A1', queue: 'LOANS' }]],
    ['IN_PROGRESS', { status: 'PENDING_CUSTOMER' }, [{ type: 'AWAIT_CUSTOMER' }]],
    ['IN_PROGRESS', { status: 'RESOLVED', resolution: 'card replaced' }, [{ type: 'RESOLVE', resolution: 'card replaced' }]],
    ['PENDING_CUSTOMER', { status: 'IN_PROGRESS' }, [{ type: 'CUSTOMER_REPLIED' }]],
    ['PENDING_CUSTOMER', { status: 'RESOLVED' }, [{ type: 'RESOLVE' }]],
    ['RESOLVED', { status: 'IN_PROGRESS', reason: 'still blocked' }, [{ type: 'REOPEN', reason: 'still blocked' }]],
    ['RESOLVED', { status: 'CLOSED' }, [{ type: 'CLOSE' }]],
    // What the ticket already is asks nothing: a retried PATCH changes it once.
    ['IN_PROGRESS', { status: 'IN_PROGRESS', assigneeId: 'A1' }, []],
    ['CLOSED', { status: 'CLOSED' }, []],
  ])('%s + %j', (status, patch, commands) => {
    expect(planPatch(AT[status], patch)).toEqual({ ok: true, commands });
  });

  it.each<[TicketStatus, TicketPatch, string]>([
    ['NEW', {}, 'NOTHING_ASKED'],
    ['NEW', { status: 'ASSIGNED' }, 'NEEDS_ASSIGNEE'],
    ['NEW', { queue: 'LOANS' }, 'NEEDS_ASSIGNEE'],
    ['NEW', { status: 'RESOLVED' }, 'NO_SUCH_TRANSITION'],
    ['ASSIGNED', { status: 'RESOLVED' }, 'NO_SUCH_TRANSITION'],
    ['IN_PROGRESS', { status: 'ASSIGNED' }, 'NO_SUCH_TRANSITION'],
    ['IN_PROGRESS', { status: 'CLOSED' }, 'NO_SUCH_TRANSITION'],
    ['RESOLVED', { status: 'PENDING_CUSTOMER' }, 'NO_SUCH_TRANSITION'],
    ['CLOSED', { status: 'IN_PROGRESS' }, 'NO_SUCH_TRANSITION'],
  ])('%s + %j is refused: %s', (status, patch, reason) => {
    expect(planPatch(AT[status], patch)).toEqual({ ok: false, reason });
  });

  it.each<[TicketStatus, TicketStatus[]]>([
    ['NEW', ['ASSIGNED']],
    ['ASSIGNED', ['IN_PROGRESS']],
    ['IN_PROGRESS', ['PENDING_CUSTOMER', 'RESOLVED']],
    ['PENDING_CUSTOMER', ['IN_PROGRESS', 'RESOLVED']],
    ['RESOLVED', ['IN_PROGRESS', 'CLOSED']],
    ['CLOSED', []],
  ])('from %s a PATCH can reach %j (what a 409 lists)', (status, reachable) => {
    expect(reachableStatuses(status)).toEqual(reachable);
  });

  it('every status it lists as reachable is one a PATCH reaches, and the commands are accepted', () => {
    for (const [status, ticket] of Object.entries(AT) as [TicketStatus, Ticket][]) {
      for (const to of reachableStatuses(status)) {
        const plan = planPatch(ticket, { status: to, assigneeId: 'A1' });
        if (!plan.ok) throw new Error(`${status} → ${to}: ${plan.reason}`);
        const end = plan.commands.reduce((t, c) => {
          const o = transitionTicket(t, c, new Date(T0.getTime() + 3_600_000), RULES);
          if (!o.ok) throw new Error(`${status} → ${to}: ${c.type} refused`);
          return o.ticket;
        }, ticket);
        expect([status, end.status]).toEqual([status, to]);
      }
    }
  });
});

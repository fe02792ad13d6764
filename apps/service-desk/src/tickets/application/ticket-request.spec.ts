import { newEnvelope } from '@meridian/events/kafka';
import type { EventEnvelope, InteractionRecorded } from '@meridian/events';
import { HAND_SOURCE, handTicketRequest, interactionTicketRequest } from './ticket-request';
import { ticketIdFor } from './ticket-id';

const interaction = (over: Partial<InteractionRecorded> = {}, customerId: string | null = 'C1') =>
  newEnvelope<InteractionRecorded>('InteractionRecorded', { sourceSystem: 'CALLCENTER', sourceCustomerId: 'S1', interactionId: 'I-1', channel: 'CALL_CENTER', kind: 'COMPLAINT', text: '投诉', ...over }, { eventId: 'e-1', source: 'meridian-ingest', ...(customerId && { customerId }), occurredAt: '2026-12-01T10:00:00+08:00' }) as EventEnvelope<InteractionRecorded>;

describe('what a request to the service desk asks', () => {
  it('an interaction of a ticket kind: its ticket, named by the business key, at the interaction’s instant, caused by it', () => {
    expect(interactionTicketRequest(interaction({ topic: 'x'.repeat(300) }))).toEqual({
      ticketId: ticketIdFor('CALLCENTER', 'I-1'), customerId: 'C1', kind: 'COMPLAINT', text: '投诉', channel: 'CALL_CENTER', interactionId: 'I-1', subject: 'x'.repeat(200),
      sourceSystem: 'CALLCENTER', at: '2026-12-01T10:00:00+08:00', causationId: 'e-1', correlationId: 'e-1',
    });
    // Another eventId, the same interaction: the same ticket.
    expect((interactionTicketRequest({ ...interaction(), eventId: 'e-2' }) as { ticketId: string }).ticketId).toBe(ticketIdFor('CALLCENTER', 'I-1'));
  });

  it('skips the kinds that are no ticket, and refuses an interaction without its customer', () => {
    for (const kind of ['LOGIN', 'PAGE_VIEW', 'SURVEY_RESPONSE', 'CAMPAIGN_OPENED'] as const) expect(interactionTicketRequest(interaction({ kind }))).toEqual({ status: 'skipped' });
    expect(interactionTicketRequest(interaction({}, null))).toMatchObject({ status: 'rejected', reason: { field: 'customerId', rule: 'isResolvedCustomer' } });
  });

  it('a ticket by hand: one per person and request key', () => {
    const body = { customerId: 'C1', kind: 'INQUIRY' as const, channel: 'BRANCH' as const, requestId: 'desk-0001' };
    const at = new Date('2026-12-01T02:00:00Z');
    const mine = handTicketRequest(body, { sub: 'teller-1' }, at);
    expect(mine).toMatchObject({ customerId: 'C1', kind: 'INQUIRY', channel: 'BRANCH', sourceSystem: HAND_SOURCE, at: '2026-12-01T02:00:00.000Z' });
    expect(handTicketRequest(body, { sub: 'teller-1' }, new Date()).ticketId).toBe(mine.ticketId);
    expect(handTicketRequest(body, { sub: 'teller-2' }, at).ticketId).not.toBe(mine.ticketId);
    expect(handTicketRequest({ ...body, requestId: 'desk-0002' }, { sub: 'teller-1' }, at).ticketId).not.toBe(mine.ticketId);
  });
});

import { DEFAULT_CAMPAIGN_RULES } from './campaign-rules';
import { DeliveryFailure, OutboundMessage, handOverOf, rmTaskOf, verdictOfStatus } from './delivery';

const message: OutboundMessage = { messageId: 'msg-abc', campaignId: 'cmp-1', customerId: 'C1', channel: 'phone', templateId: 'call', content: '为您介绍稳健理财', requestedAt: '2026-03-01T02:00:00.000Z' };

describe('a gateway status', () => {
  it('2xx is taken, and 409 is taken before (the gateway keeps one message per idempotency key)', () => {
    for (const status of [200, 201, 202, 204, 409]) expect(verdictOfStatus(status)).toBe('ACCEPTED');
  });

  it('408, 425, 429 and 5xx are worth another try; other 4xx are final refusals', () => {
    for (const status of [408, 425, 429, 500, 502, 503, 504]) expect(verdictOfStatus(status)).toMatchObject({ retryable: true, code: `HTTP_${status}` });
    for (const status of [400, 401, 403, 404, 410, 413, 422]) expect(verdictOfStatus(status)).toMatchObject({ retryable: false, code: `HTTP_${status}` });
    expect(verdictOfStatus(302)).toBeInstanceOf(DeliveryFailure);
  });
});

describe('an RM task of a phone message', () => {
  it('goes to the customer’s RM, due by the bank’s hours after the decision, and within 24 h for a DIAMOND customer', () => {
    expect(rmTaskOf(message, { rmId: 'RM007', tier: 'GOLD' }, 'retention', DEFAULT_CAMPAIGN_RULES)).toEqual({
      taskId: 'task-msg-abc',
      rmId: 'RM007',
      kind: 'CAMPAIGN_CALL',
      dueAt: '2026-03-04T02:00:00.000Z',
      reason: 'retention: 为您介绍稳健理财',
    });
    expect(rmTaskOf(message, { rmId: 'RM007', tier: 'DIAMOND' }, 'retention', DEFAULT_CAMPAIGN_RULES).dueAt).toBe('2026-03-02T02:00:00.000Z');
  });

  it('without an RM is a final failure, and its reason fits the contract', () => {
    expect(() => rmTaskOf(message, { tier: 'GOLD' }, 'retention', DEFAULT_CAMPAIGN_RULES)).toThrow(expect.objectContaining({ code: 'NO_RM', retryable: false }));
    expect(rmTaskOf({ ...message, content: 'x'.repeat(4000) }, { rmId: 'RM1' }, 'n', DEFAULT_CAMPAIGN_RULES).reason).toHaveLength(500);
  });
});

describe('a hand-over looked at again, since time passed after the decision', () => {
  const sms: OutboundMessage = { ...message, channel: 'sms', requestedAt: '2026-03-01T02:00:00.000Z' };
  const input = (over: Partial<Parameters<typeof handOverOf>[0]> = {}) => handOverOf({ message: sms, now: '2026-03-01T02:30:00.000Z', campaign: { status: 'ACTIVE' }, optedOut: [], maxAgeHours: 24, rules: DEFAULT_CAMPAIGN_RULES, ...over });

  it('goes while the campaign runs, the channel is not quiet and the customer did not opt out', () => {
    expect(input()).toEqual({ kind: 'GO' });
  });

  it('waits while the campaign is paused, and for the end of quiet hours (an SMS at 23:00 Shanghai goes at 08:00)', () => {
    expect(input({ campaign: { status: 'PAUSED' } })).toEqual({ kind: 'WAIT', until: '2026-03-01T02:31:00.000Z', why: 'PAUSED' });
    expect(input({ now: '2026-03-01T15:00:00.000Z' })).toEqual({ kind: 'WAIT', until: '2026-03-02T00:00:00Z', why: 'QUIET_HOURS' });
  });

  it('gives up on a message whose campaign ended or is gone, that is too old, or whose channel the customer opted out of', () => {
    expect(input({ campaign: { status: 'COMPLETED' } })).toMatchObject({ kind: 'DROP', code: 'CAMPAIGN_ENDED' });
    expect(input({ campaign: { status: 'ACTIVE', endAt: '2026-03-01T02:30:00.000Z' } })).toMatchObject({ kind: 'DROP', code: 'CAMPAIGN_ENDED' });
    expect(input({ campaign: undefined })).toMatchObject({ kind: 'DROP', code: 'CAMPAIGN_ENDED' });
    expect(input({ now: '2026-03-02T02:00:00.001Z' })).toMatchObject({ kind: 'DROP', code: 'EXPIRED' });
    expect(input({ optedOut: ['sms'] })).toMatchObject({ kind: 'DROP', code: 'OPTED_OUT' });
    expect(input({ optedOut: ['email'] })).toEqual({ kind: 'GO' });
  });

  it('gives up on a message to a customer erased since the decision, whatever else would have it wait (PIPL)', () => {
    expect(input({ erased: true })).toMatchObject({ kind: 'DROP', code: 'ERASED' });
    expect(input({ erased: true, campaign: { status: 'PAUSED' }, now: '2026-03-01T15:00:00.000Z' })).toMatchObject({ kind: 'DROP', code: 'ERASED' });
    expect(input({ erased: false })).toEqual({ kind: 'GO' });
  });
});

import { DEFAULT_CAMPAIGN_RULES } from './campaign-rules';
import { DeliveryFailure, OutboundMessage, rmTaskOf, verdictOfStatus } from './delivery';

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

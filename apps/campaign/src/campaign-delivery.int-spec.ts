import { CampaignDeliveryFailed, RmTaskCreated, TOPICS } from '@meridian/events';
import { sampleEnvelope } from '@meridian/events/testing';
import { freePort, waitFor } from '@meridian/shared/testing';
import { createHmac } from 'node:crypto';
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { CampaignHarness, Decision } from './testing/campaign-harness';

const SECRET = 'gateway-shared-secret-0123456789';
type Mode = 'FAIL' | 'HANG' | 'OK';

/**
 * A channel gateway on a real local HTTP server, as a bank's SMS/push gateway behaves: it sends a
 * message once per idempotency key (a key seen before answers 409, sending nothing), and the test
 * makes it fail (503), hang past campaign's timeout (it sends, but answers too late), or work.
 * Messages for customers whose id is in `refused` are refused (422).
 */
class Gateway {
  mode: Mode = 'OK';
  readonly sent = new Map<string, number>();
  readonly calls: Array<{ key: string; mode: Mode; status: number }> = [];
  readonly refused = new Set<string>();
  /** Customers whose messages fail (503) whatever the mode. */
  readonly failing = new Set<string>();
  badSignatures = 0;
  private server?: Server;
  url = '';

  async start(): Promise<this> {
    const port = await freePort();
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${port}/send`;
    return this;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += chunk;
    const key = String(req.headers['idempotency-key'] ?? '');
    if (req.headers['x-meridian-signature'] !== `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`) this.badSignatures++;
    const message = JSON.parse(body) as { customerId: string };
    const mode = this.mode;
    // Recorded as it comes (the calls in the order campaign made them), answered later.
    const call = { key, mode, status: 0 };
    this.calls.push(call);
    const answer = (status: number) => {
      call.status = status;
      res.writeHead(status).end();
    };
    if (this.refused.has(message.customerId)) return answer(422);
    if (mode === 'FAIL' || this.failing.has(message.customerId)) return answer(503);
    if (this.sent.has(key)) return answer(409);
    this.sent.set(key, (this.sent.get(key) ?? 0) + 1);
    if (mode === 'HANG') setTimeout(() => answer(200), 1_500);
    else answer(200);
  }

  stop(): Promise<void> {
    this.server?.closeAllConnections();
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/**
 * Issue 12, point 4, on real servers: campaign hands each requested message to the bank's gateway
 * by webhook — through a gateway that fails, then times out, then recovers, every message arrives
 * once (nothing lost, nothing sent twice) and counts as dispatched once; a refused one is
 * reported (CampaignDeliveryFailed) and counted as failed; a `phone` message is a task in the
 * customer's RM's work list, due by DOMAIN.md's rule.
 */
describe('campaign delivery (real Kafka, MongoDB-wire server, Redis, BullMQ and a local HTTP gateway)', () => {
  const h = new CampaignHarness();
  const gateway = new Gateway();

  beforeAll(async () => {
    await gateway.start();
    gateway.mode = 'FAIL';
    await h.start({
      CAMPAIGN_QUIET_CHANNELS: 'NONE',
      CAMPAIGN_DELIVERY_ADAPTER: 'webhook',
      CAMPAIGN_WEBHOOK_URL: gateway.url,
      CAMPAIGN_WEBHOOK_SECRET: SECRET,
      CAMPAIGN_WEBHOOK_TIMEOUT_MS: '300',
      CAMPAIGN_WEBHOOK_TRIES: '2',
      CAMPAIGN_WEBHOOK_BREAK_AFTER: '3',
      CAMPAIGN_WEBHOOK_HALF_OPEN_MS: '500',
      CAMPAIGN_DELIVERY_ATTEMPTS: '40',
      CAMPAIGN_DELIVERY_BACKOFF_MS: '100',
    });
  }, 120_000);

  afterAll(async () => {
    await h.stop();
    await gateway.stop();
  });

  it('through a gateway that fails, then times out, then recovers: every message sent once, none lost, each dispatched once', async () => {
    const { campaignId, segmentId } = await h.campaign({ channels: ['sms'], templates: [{ templateId: 'sms', channel: 'sms', locale: 'zh-CN', body: '{{greeting}}，{{productName}}' }], unitCostMinor: { sms: 5 } });
    const customers = await Promise.all(Array.from({ length: 12 }, () => h.customer()));
    for (const c of customers) await h.enter(c, segmentId);
    const decisions = await Promise.all(customers.map(async (c) => (await h.decided(c, 1, campaignId))[0]));
    expect(decisions.map((d) => d.type)).toEqual(customers.map(() => 'CampaignMessageRequested'));
    const ids = decisions.map((d: Decision) => d.payload.messageId as string).sort();

    await waitFor(async () => gateway.calls.length >= 6 || undefined, 30_000, 'the failing gateway called');
    gateway.mode = 'HANG';
    await waitFor(async () => gateway.calls.some((c) => c.mode === 'HANG') || undefined, 60_000, 'the hanging gateway called');
    await new Promise((r) => setTimeout(r, 2_000));
    gateway.mode = 'OK';
    const stats = await waitFor(async () => {
      const body = (await h.call('GET', `/v1/campaigns/${campaignId}/stats`)).body;
      return body.funnel.dispatched === ids.length ? body : undefined;
    }, 120_000, 'every message dispatched');

    expect([...gateway.sent.keys()].sort()).toEqual(ids);
    // A hanging call answers 1.5 s late: every answer is in before the calls are read.
    await new Promise((r) => setTimeout(r, 2_000));
    // Sent once: the gateway answered 2xx once per message, whatever the retries (409: it had it already).
    const accepted = new Map<string, number>();
    for (const c of gateway.calls) if (c.status >= 200 && c.status < 300) accepted.set(c.key, (accepted.get(c.key) ?? 0) + 1);
    expect([...accepted.keys()].sort()).toEqual(ids);
    expect([...accepted.values()].every((n) => n === 1)).toBe(true);
    // And campaign made no call after the gateway told it it had the message (a timely 200, or 409).
    const told = new Set<string>();
    const afterTold = gateway.calls.filter((c) => {
      const late = told.has(c.key);
      if ((c.status === 200 && c.mode === 'OK') || c.status === 409) told.add(c.key);
      return late;
    });
    expect(afterTold).toEqual([]);
    expect(gateway.calls.filter((c) => c.status === 503).length).toBeGreaterThan(0);
    expect(gateway.calls.some((c) => c.mode === 'HANG')).toBe(true);
    expect(gateway.badSignatures).toBe(0);
    expect(stats.funnel).toMatchObject({ sent: ids.length, dispatched: ids.length, failed: 0 });
    expect(stats.byChannel.sms).toMatchObject({ dispatched: ids.length });
    expect((await h.published<CampaignDeliveryFailed>('CampaignDeliveryFailed')).filter((e) => e.payload.campaignId === campaignId)).toEqual([]);

    // Asked again (the request redelivered on the bus): nothing goes to the gateway twice.
    const calls = gateway.calls.length;
    const requested = decisions[0];
    await h.publisher.publishAll([{ topic: 'crm.campaign.v1', envelope: requested as never }]);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(gateway.calls.length).toBe(calls);
    expect((await h.call('GET', `/v1/campaigns/${campaignId}/stats`)).body.funnel.dispatched).toBe(ids.length);
  });

  /** An app-push message of a campaign of its own to a new customer, whom the gateway treats as `by` says (refused, failing), once requested. */
  const pushMessage = async (by: Set<string>) => {
    const { campaignId, segmentId } = await h.campaign({ channels: ['app_push'], templates: [{ templateId: 'push', channel: 'app_push', locale: 'en', body: '{{greeting}}, a {{productName}}' }], unitCostMinor: { app_push: 1 } });
    const customerId = await h.customer();
    by.add(customerId);
    await h.enter(customerId, segmentId);
    const [d] = await h.decided(customerId, 1, campaignId);
    return { campaignId, customerId, d };
  };
  /** The campaign's CampaignDeliveryFailed, once one is out. */
  const reported = (campaignId: string) =>
    waitFor(async () => {
      const found = (await h.published<CampaignDeliveryFailed>('CampaignDeliveryFailed')).filter((e) => e.payload.campaignId === campaignId);
      return found.length ? found : undefined;
    }, 60_000, `a delivery failure of ${campaignId} reported`);

  it('reports a message the gateway refuses (CampaignDeliveryFailed, counted as failed), once', async () => {
    const { campaignId, customerId, d } = await pushMessage(gateway.refused);
    const [failed] = await reported(campaignId);
    expect(failed.payload).toEqual({ customerId, campaignId, messageId: d.payload.messageId, channel: 'app_push', attempts: 1, code: 'HTTP_422', message: 'the gateway answered 422' });
    expect((await h.call('GET', `/v1/campaigns/${campaignId}/stats`)).body.funnel).toMatchObject({ sent: 1, dispatched: 0, failed: 1 });
    expect(gateway.calls.filter((c) => c.key === d.payload.messageId).map((c) => c.status)).toEqual([422]);
  });

  it('gives up on a message to a customer erased while the gateway failed it: reported as ERASED, counted as failed', async () => {
    const { campaignId, customerId, d } = await pushMessage(gateway.failing);
    const key = d.payload.messageId as string;
    await waitFor(async () => gateway.calls.some((c) => c.key === key && c.status === 503) || undefined, 60_000, 'the message failed once');
    await h.erase(customerId);
    const [failed] = await reported(campaignId);
    expect(failed.payload).toMatchObject({ customerId, messageId: key, code: 'ERASED' });
    gateway.failing.delete(customerId);
    expect((await h.call('GET', `/v1/campaigns/${campaignId}/stats`)).body.funnel).toMatchObject({ sent: 1, dispatched: 0, failed: 1 });
  });

  it('makes a phone message a task in the customer’s RM’s work list, due in 72 h, and a DIAMOND customer’s in 24 h', async () => {
    const { campaignId, segmentId } = await h.campaign({ channels: ['phone'], templates: [{ templateId: 'call', channel: 'phone', locale: 'zh-CN', body: '请致电介绍{{productName}}' }], unitCostMinor: { phone: 50 } });
    const gold = await h.customer({ consents: { marketing: { phone: true } }, rmId: 'RM-G' });
    const diamond = await h.customer({ consents: { marketing: { phone: true } }, rmId: 'RM-D' }, 'DIAMOND');
    for (const c of [gold, diamond]) await h.enter(c, segmentId);
    const tasks = await waitFor(async () => {
      const found = (await h.published<RmTaskCreated>('RmTaskCreated')).filter((e) => [gold, diamond].includes(e.payload.customerId));
      return found.length === 2 ? found : undefined;
    }, 60_000, 'two RM tasks');
    const of = async (customerId: string) => {
      const [d] = await h.decided(customerId, 1, campaignId);
      const task = tasks.find((t) => t.payload.customerId === customerId) as (typeof tasks)[number];
      return { rmId: task.payload.rmId, kind: task.payload.kind, hours: (Date.parse(task.payload.dueAt) - Date.parse(d.occurredAt as string)) / 3_600_000, taskId: task.payload.taskId === `task-${d.payload.messageId}`, reason: task.payload.reason };
    };
    expect(await of(gold)).toEqual({ rmId: 'RM-G', kind: 'CAMPAIGN_CALL', hours: 72, taskId: true, reason: 'retention: 请致电介绍理财产品' });
    expect(await of(diamond)).toMatchObject({ rmId: 'RM-D', hours: 24 });
    expect(gateway.calls.filter((c) => tasks.some((t) => t.payload.taskId === `task-${c.key}`))).toEqual([]);
    await waitFor(async () => (await h.call('GET', `/v1/campaigns/${campaignId}/stats`)).body.funnel.dispatched === 2 || undefined, 30_000, 'both dispatched');
  });
  it('sets a campaign off on what the customer did: a mortgage opened (not a card), a payroll at or above its amount (not below)', async () => {
    const push = { channels: ['app_push' as const], templates: [{ templateId: 'push', channel: 'app_push' as const, locale: 'zh-CN' as const, body: '{{greeting}}，装修贷款专享利率' }], unitCostMinor: { app_push: 1 }, offer: { productType: 'CONSUMER_LOAN' as const } };
    const renovation = await h.campaign({ ...push, trigger: { kind: 'PRODUCT_OPENED', productType: 'MORTGAGE' } });
    const payroll = await h.campaign({ ...push, trigger: { kind: 'TRANSACTION', category: 'PAYROLL', minAmountMinor: 1_000_000 } });
    const [mortgage, card, rich, poor] = await Promise.all([h.customer(), h.customer(), h.customer(), h.customer()]);
    const now = new Date().toISOString();
    const opened = (customerId: string, productType: string) => sampleEnvelope(TOPICS.product, 'ProductOpened', { customerId, occurredAt: now, payload: { sourceSystem: 'core-banking', sourceCustomerId: customerId, productId: `${customerId}-P`, productType, productCode: 'X1', openedAt: now } });
    const paid = (customerId: string, amountMinor: number) => {
      const e = sampleEnvelope(TOPICS.transaction, 'TransactionPosted', { customerId, occurredAt: now });
      return { ...e, payload: { ...(e.payload as Record<string, unknown>), transactionId: `${customerId}-T`, category: 'PAYROLL', direction: 'CREDIT', amountMinor, sourceCustomerId: customerId } };
    };
    await h.publisher.publishAll([
      { topic: TOPICS.product, envelope: opened(mortgage, 'MORTGAGE') },
      { topic: TOPICS.product, envelope: opened(card, 'CREDIT_CARD') },
      { topic: TOPICS.transaction, envelope: paid(rich, 1_500_000) },
      { topic: TOPICS.transaction, envelope: paid(poor, 999_999) },
    ]);
    expect((await h.decided(mortgage, 1, renovation.campaignId)).map((d) => d.type)).toEqual(['CampaignMessageRequested']);
    expect((await h.decided(rich, 1, payroll.campaignId)).map((d) => d.type)).toEqual(['CampaignMessageRequested']);
    await new Promise((r) => setTimeout(r, 2_000));
    await h.out.readToEnd();
    expect([...h.decisionsOf(card), ...h.decisionsOf(poor), ...h.decisionsOf(mortgage, payroll.campaignId), ...h.decisionsOf(rich, renovation.campaignId)]).toEqual([]);
  });
});

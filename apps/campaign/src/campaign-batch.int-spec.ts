import { ProfileFeatures, TOPICS } from '@meridian/events';
import { newEnvelope } from '@meridian/events/kafka';
import { startService, uniqueName, waitFor } from '@meridian/shared/testing';
import { isControl } from './campaigns/domain/control-group';
import { CampaignHarness, Decision, what } from './testing/campaign-harness';

const CUSTOMERS = 600;
const PARTITIONS = 16;

/**
 * Issue 12, point 8, on real servers: a scheduled campaign decided over the whole base, in
 * partitions, under the same caps and control arm as a trigger's decision — and resumed where it
 * stopped when its instance is killed mid-run: every customer decided exactly once.
 */
describe('campaign batch audiences (real Kafka, MongoDB-wire server, Redis and BullMQ)', () => {
  const h = new CampaignHarness();

  beforeAll(async () => {
    await h.start({ CAMPAIGN_QUIET_CHANNELS: 'NONE', CAMPAIGN_BATCH_PARTITIONS: String(PARTITIONS), CAMPAIGN_BATCH_STEP: '5' });
  }, 120_000);

  afterAll(() => h.stop());

  it('decides a scheduled campaign over every customer once, in partitions, under the caps and control arm, resuming after its instance is killed', async () => {
    // The base: customers announced by profile; one of them already had the two messages a week the bank allows.
    const features: ProfileFeatures = { aumMinor: 1_000_000, productsHeld: ['DEPOSIT_CURRENT'], txnCount30d: 1, txnCount90d: 3, txnAmount30dMinor: 100, txnAmount90dMinor: 300, tags: [], consents: { marketing: { sms: true } }, riskTolerance: 'R3' };
    const run = uniqueName('B');
    const customers = Array.from({ length: CUSTOMERS }, (_, i) => `${run}-${i}`);
    const at = new Date().toISOString();
    await h.publisher.publishAll(customers.map((customerId) => ({ topic: TOPICS.profile, envelope: newEnvelope('ProfileUpdated', { customerId, version: 1, changedFields: ['aumMinor'], features }, { source: 'meridian-profile', customerId, occurredAt: at }) })));
    const baseSize = async () => (await Promise.all(Array.from({ length: PARTITIONS }, (_, p) => h.redis.scard(`${h.env.MONGODB_DATABASE}:cmp:base:${PARTITIONS}:${p}`)))).reduce((a, b) => a + b, 0);
    await waitFor(async () => (await baseSize()) === CUSTOMERS || undefined, 120_000, `${CUSTOMERS} customers in the base`);
    const capped = customers[0];
    for (let i = 0; i < 2; i++) {
      const trigger = await h.campaign({ channels: ['sms'], templates: [{ templateId: 'sms', channel: 'sms', locale: 'zh-CN', body: '{{greeting}}，{{productName}}' }], unitCostMinor: { sms: 5 } });
      await h.enter(capped, trigger.segmentId);
      expect((await h.decided(capped, 1, trigger.campaignId)).map(what)).toEqual(['SENT:sms']);
    }

    const { campaignId } = await h.campaign({
      trigger: { kind: 'SCHEDULED', at: new Date(Date.now() - 60_000).toISOString() },
      channels: ['sms'],
      templates: [{ templateId: 'sms', channel: 'sms', locale: 'zh-CN', body: '{{greeting}}，年末理财季' }],
      unitCostMinor: { sms: 5 },
      controlShare: 0.5,
    });
    // Killed mid-run (no graceful stop: its job is left active), then started again.
    const partial = await waitFor(async () => {
      const res = await h.call('GET', `/v1/campaigns/${campaignId}/batch`);
      return res.status === 200 && res.body.partitionsDone >= 1 ? res.body : undefined;
    }, 60_000, 'the run under way');
    h.service.process.kill('SIGKILL');
    await h.service.exited;
    expect(partial.partitionsDone).toBeLessThan(PARTITIONS);
    h.service = await startService('campaign', h.env);

    const finished = await waitFor(async () => {
      const res = await h.call('GET', `/v1/campaigns/${campaignId}/batch`);
      return res.status === 200 && res.body.finishedAt ? res.body : undefined;
    }, 180_000, 'the run finished after the restart');
    expect(finished).toMatchObject({ campaignId, partitions: PARTITIONS, partitionsDone: PARTITIONS });

    await h.out.readToEnd();
    const decisions = h.out.json<Decision>(h.topic(TOPICS.campaign)).filter((e) => e.payload.campaignId === campaignId && (e.type === 'CampaignMessageRequested' || e.type === 'CampaignMessageSuppressed'));
    const byCustomer = new Map<string, Set<string>>();
    const outcome = new Map<string, string>();
    for (const d of decisions) {
      byCustomer.set(d.payload.customerId, (byCustomer.get(d.payload.customerId) ?? new Set()).add(d.eventId as string));
      outcome.set(d.payload.customerId, what(d));
    }
    // Every customer of the base decided, once in effect (a partition done again republishes its decisions under the same ids).
    expect([...byCustomer.keys()].filter((c) => c.startsWith(run)).sort()).toEqual([...customers].sort());
    expect([...byCustomer.values()].every((ids) => ids.size === 1)).toBe(true);
    // The same rules as a trigger's decision: the stable control arm, and the bank's cap across campaigns.
    // A control customer is held out only where a treated one would be sent: capped, either arm is FREQUENCY_CAP.
    expect(outcome.get(capped)).toBe('FREQUENCY_CAP');
    const others = customers.slice(1);
    expect(others.filter((c) => outcome.get(c) !== (isControl(campaignId, c, 0.5) ? 'CONTROL_GROUP' : 'SENT:sms'))).toEqual([]);
    const stats = (await h.call('GET', `/v1/campaigns/${campaignId}/stats`)).body;
    const sent = others.filter((c) => !isControl(campaignId, c, 0.5)).length;
    expect(stats.funnel.sent).toBe(sent);
    expect(stats.control).toBe(others.filter((c) => isControl(campaignId, c, 0.5)).length);
    expect(stats.costMinor).toBe(5 * sent);
    const metrics = await (await fetch(`${h.service.url}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`meridian_campaign_batch_partitions\\{campaign="${campaignId}",state="done"[^}]*\\} ${PARTITIONS}\\n`));
    // The restarted instance read only the partitions not done before the kill: resumed, not begun again.
    const read = Number(/meridian_campaign_batch_customers_total\{outcome="read"[^}]*\} (\d+)/.exec(metrics)?.[1]);
    expect(read).toBeGreaterThan(0);
    expect(read).toBeLessThan(CUSTOMERS);
  }, 420_000);
});

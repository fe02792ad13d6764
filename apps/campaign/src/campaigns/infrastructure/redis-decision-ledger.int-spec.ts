import { sampleFacts } from '@meridian/events/testing';
import { testServers, uniqueName } from '@meridian/shared/testing';
import Redis from 'ioredis';
import { CampaignConfig } from '../../config/campaign.config';
import type { LedgerEntry } from '../application/ports/decision-ledger.port';
import { CampaignDefinition } from '../domain/campaign-definition';
import { CampaignFacts } from '../domain/campaign-facts';
import { DEFAULT_CAMPAIGN_RULES } from '../domain/campaign-rules';
import { compileCampaign } from '../domain/compiled-campaign';
import { messageIdFor } from '../domain/message-id';
import { MessageCandidate, planMessage } from '../domain/message-plan';
import { campaignKeys } from '../../redis-keys';
import { RedisCustomerContacts } from '../../customers/infrastructure/redis-customer-contacts';
import { RedisCustomerTraces } from '../../customers/infrastructure/redis-customer-traces';
import { RedisCampaignCounters, RedisDecisionLedger } from './redis-decision-ledger';

const NOW = new Date('2026-12-02T10:00:00+08:00');
const candidate = (over: Partial<MessageCandidate> = {}): MessageCandidate => ({ channel: 'app_push', templateId: 't', variantId: 'default', content: 'hello', costMinor: 1, control: false, campaignCap: { messages: 1, days: 30 }, ...over });
const entry = (campaignId: string, customerId: string, over: Partial<LedgerEntry> = {}, c: Partial<MessageCandidate> = {}): LedgerEntry => ({
  campaignId,
  customerId,
  messageId: messageIdFor(campaignId, customerId, 'trigger-1'),
  plan: { kind: 'CANDIDATE', candidate: candidate(c) },
  customerCap: { messages: 2, days: 7 },
  now: NOW,
  retry: false,
  ...over,
});

/**
 * The decision ledger against a real Redis: the caps and the budget hold under many decisions
 * racing on separate connections (as separate instances would), a redelivered decision gets its
 * first outcome and counts nothing twice, and the control arm is the configured share over
 * 10,000 customers — the same customers on a second run.
 */
describe('RedisDecisionLedger (real Redis)', () => {
  const connections: Redis[] = [];
  let prefix: string;
  const ledgers = (n: number) =>
    Array.from({ length: n }, () => {
      const redis = new Redis(testServers().redisUrl);
      connections.push(redis);
      return new RedisDecisionLedger(redis, { redisPrefix: prefix, rules: DEFAULT_CAMPAIGN_RULES } as CampaignConfig);
    });

  beforeEach(() => {
    prefix = `${uniqueName('test_ledger')}:`;
  });

  afterAll(async () => {
    const redis = new Redis(testServers().redisUrl);
    const keys = await redis.keys('test_ledger_*');
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    connections.forEach((c) => c.disconnect());
  });

  it('forgets an erased customer’s traces — sends, each campaign’s sends, arms, cases, opt-outs — and no one else’s', async () => {
    const [ledger] = ledgers(1);
    const redis = connections[connections.length - 1];
    const config = { redisPrefix: prefix, rules: DEFAULT_CAMPAIGN_RULES } as CampaignConfig;
    const contacts = new RedisCustomerContacts(redis, config);
    for (const customerId of ['GONE', 'STAYS']) {
      // Sent by one campaign, held out (control) by another: both campaigns' sends and arms.
      expect((await ledger.settle([entry('cmp-a', customerId), entry('cmp-b', customerId, {}, { control: true })])).map((o) => o?.kind)).toEqual(['SENT', 'CONTROL']);
      await contacts.recordCases([{ customerId, ticketId: 'T1', open: true, opens: true, at: NOW.toISOString() }]);
      await contacts.recordOptOuts([{ customerId, channel: 'sms', at: NOW.toISOString() }]);
    }
    const keysOf = async (customerId: string) => (await redis.keys(`${prefix}*${customerId}*`)).map((k) => k.slice(prefix.length).replace(customerId, '<c>')).sort();
    const kept = ['cmp:arms:<c>', 'cmp:cases:<c>', 'cmp:optouts:<c>', 'cmp:sends:<c>', 'cmp:sends:<c>:cmp-a', 'cmp:sends:<c>:cmp-b'];
    expect(await keysOf('GONE')).toEqual(kept);
    await new RedisCustomerTraces(redis, config).forget(['GONE', 'GONE']);
    expect(await keysOf('GONE')).toEqual([]);
    expect(await keysOf('STAYS')).toEqual(kept);
    // The campaigns' counters are no one's in particular: they stay.
    expect(Number((await new RedisCampaignCounters(redis, config).read('cmp-a')).sent)).toBe(2);
  });

  it('keeps the arms at least as long as every campaign’s sends they name: a shorter window never shortens them', async () => {
    const [ledger] = ledgers(1);
    const redis = connections[connections.length - 1];
    await ledger.settle([entry('cmp-long', 'C9', {}, { campaignCap: { messages: 1, days: 90 } })]);
    await ledger.settle([entry('cmp-short', 'C9', {}, { campaignCap: { messages: 1, days: 30 } })]);
    const [arms, longSends] = [await redis.pttl(`${prefix}cmp:arms:C9`), await redis.pttl(`${prefix}cmp:sends:C9:cmp-long`)];
    expect(longSends).toBeGreaterThan(89 * 86_400_000);
    expect(arms).toBeGreaterThanOrEqual(longSends);
  });

  it('suppresses a decision whose customer was erased since their facts were read (NO_CONSENT), keeping nothing of them', async () => {
    const [ledger] = ledgers(1);
    const redis = connections[connections.length - 1];
    await redis.hset(`${prefix}cmp:facts:E1`, 'v', '3', 's', 'ERASED');
    const [outcome] = await ledger.settle([entry('cmp-x', 'E1')]);
    expect(outcome).toMatchObject({ kind: 'SUPPRESSED', reason: 'NO_CONSENT' });
    expect((await redis.keys(`${prefix}*E1*`)).map((k) => k.slice(prefix.length))).toEqual(['cmp:facts:E1']);
    // Nor a case or an opt-out that comes after the erasure.
    const contacts = new RedisCustomerContacts(redis, { redisPrefix: prefix, rules: DEFAULT_CAMPAIGN_RULES } as CampaignConfig);
    await contacts.recordCases([{ customerId: 'E1', ticketId: 'T1', open: true, opens: true, at: NOW.toISOString() }]);
    await contacts.recordOptOuts([{ customerId: 'E1', channel: 'sms', at: NOW.toISOString() }]);
    expect((await redis.keys(`${prefix}*E1*`)).map((k) => k.slice(prefix.length))).toEqual(['cmp:facts:E1']);
  });

  it('fifty decisions for one customer racing on ten connections: exactly the customer cap (2) is sent', async () => {
    const pool = ledgers(10);
    const outcomes = (await Promise.all(Array.from({ length: 50 }, (_, i) => pool[i % 10].settle([entry(`cmp-${i}`, 'C1')])))).flat();
    expect(outcomes.filter((o) => o?.kind === 'SENT')).toHaveLength(2);
    expect(outcomes.filter((o) => o?.kind === 'SUPPRESSED' && o.reason === 'FREQUENCY_CAP')).toHaveLength(48);
    const redis = connections[0];
    expect(await redis.zcard(campaignKeys(prefix).sends('C1'))).toBe(2);
  });

  it('a hundred customers racing for a budget of ten messages: exactly ten are sent and the spend is the budget', async () => {
    const pool = ledgers(10);
    const outcomes = (await Promise.all(Array.from({ length: 100 }, (_, i) => pool[i % 10].settle([entry('cmp-budget', `C${i}`, { budgetMinor: 30 }, { costMinor: 3 })])))).flat();
    expect(outcomes.filter((o) => o?.kind === 'SENT')).toHaveLength(10);
    expect(outcomes.filter((o) => o?.kind === 'SUPPRESSED' && o.reason === 'BUDGET')).toHaveLength(90);
    expect(await connections[0].get(campaignKeys(prefix).spent('cmp-budget'))).toBe('30');
    const counters = await new RedisCampaignCounters(connections[0], { redisPrefix: prefix, rules: DEFAULT_CAMPAIGN_RULES } as CampaignConfig).read('cmp-budget');
    expect(counters).toMatchObject({ sent: 10, costMinor: 30, 'suppressed:BUDGET': 90, 'sent:channel:app_push': 10, 'sent:variant:t/default': 10 });
  });

  it('a redelivered decision gets its first outcome, fresh no more, and counts nothing again', async () => {
    const [ledger] = ledgers(1);
    const first = await ledger.settle([entry('cmp-r', 'C1')]);
    const again = await ledger.settle([entry('cmp-r', 'C1', { now: new Date(NOW.getTime() + 60_000) }, { content: 'changed since' })]);
    expect(first[0]).toMatchObject({ fresh: true, kind: 'SENT', content: 'hello', at: NOW.toISOString() });
    expect(again[0]).toEqual({ ...first[0], fresh: false });
    expect((await new RedisCampaignCounters(connections[0], { redisPrefix: prefix, rules: DEFAULT_CAMPAIGN_RULES } as CampaignConfig).read('cmp-r')).sent).toBe(1);
  });

  it('a control customer is held out once a campaign window, without a slot of the customer’s cap or budget; a postponement consumes nothing and is replaced only by its retry', async () => {
    const [ledger] = ledgers(1);
    const [held] = await ledger.settle([entry('cmp-c', 'C1', { budgetMinor: 1 }, { control: true })]);
    expect(held).toMatchObject({ kind: 'CONTROL', fresh: true, at: NOW.toISOString() });
    expect(await connections[0].zcard(campaignKeys(prefix).sends('C1'))).toBe(0);
    expect(await connections[0].get(campaignKeys(prefix).spent('cmp-c'))).toBeNull();
    // A second trigger of the same campaign: held out already this window, as a treatment customer would have had their one message.
    const [again] = await ledger.settle([entry('cmp-c', 'C1', { messageId: 'msg-second', budgetMinor: 1 }, { control: true })]);
    expect(again).toMatchObject({ kind: 'SUPPRESSED', reason: 'FREQUENCY_CAP' });
    expect((await new RedisCampaignCounters(connections[0], { redisPrefix: prefix, rules: DEFAULT_CAMPAIGN_RULES } as CampaignConfig).read('cmp-c')).control).toBe(1);
    // Held out only where a treated customer would have been sent: not once the budget is spent, nor past the customer's cap.
    await ledger.settle([entry('cmp-spent', 'C7', { budgetMinor: 1 })]);
    expect((await ledger.settle([entry('cmp-spent', 'C8', { budgetMinor: 1 }, { control: true })]))[0]).toMatchObject({ kind: 'SUPPRESSED', reason: 'BUDGET' });
    await ledger.settle([entry('cmp-x1', 'C9'), entry('cmp-x2', 'C9')]);
    expect((await ledger.settle([entry('cmp-x3', 'C9', {}, { control: true })]))[0]).toMatchObject({ kind: 'SUPPRESSED', reason: 'FREQUENCY_CAP' });
    // Nothing to decide now (a paused campaign, a replayed trigger): only an earlier outcome is answered.
    expect(await ledger.settle([entry('cmp-c', 'C1', { plan: { kind: 'IDLE' } })])).toEqual([held && { ...held, fresh: false }]);
    expect(await ledger.settle([entry('cmp-c', 'C9', { plan: { kind: 'IDLE' } })])).toEqual([undefined]);
    const until = '2026-12-03T00:00:00.000Z';
    const quiet = entry('cmp-q', 'C2', {}, { channel: 'sms', postponeUntil: until });
    expect((await ledger.settle([quiet]))[0]).toMatchObject({ kind: 'POSTPONED', until, fresh: true });
    expect((await ledger.settle([quiet]))[0]).toMatchObject({ kind: 'POSTPONED', until, fresh: false });
    // A campaign that ended before the window did answers the postponement as it stands (nothing new is decided).
    expect((await ledger.settle([entry('cmp-q', 'C2', { now: new Date(until), retry: true, plan: { kind: 'IDLE' } })]))[0]).toMatchObject({ kind: 'POSTPONED', fresh: false });
    const morning = entry('cmp-q', 'C2', { now: new Date(until), retry: true }, { channel: 'sms' });
    expect((await ledger.settle([morning]))[0]).toMatchObject({ kind: 'SENT', channel: 'sms', fresh: true });
    const counters = await new RedisCampaignCounters(connections[0], { redisPrefix: prefix, rules: DEFAULT_CAMPAIGN_RULES } as CampaignConfig).read('cmp-q');
    expect(counters).toMatchObject({ sent: 1, postponed: 1 });
    expect(counters['suppressed:QUIET_HOURS']).toBeUndefined();
  });

  it('holds out 10 % of 10,000 customers within ±2 points, the same customers on a second run', async () => {
    const definition: CampaignDefinition = {
      name: 'onboarding',
      objective: 'ONBOARDING',
      trigger: { kind: 'LIFECYCLE_CHANGED', to: 'NEW' },
      channels: ['app_push'],
      templates: [{ templateId: 'welcome', channel: 'app_push', locale: 'zh-CN', body: '{{greeting}}，欢迎' }],
      startAt: '2026-12-01T00:00:00+08:00',
      unitCostMinor: { app_push: 0 },
      controlShare: 0.1,
      goal: { kind: 'PRODUCT_OPENED', productType: 'WEALTH' },
      targetConversionRate: 0.05,
    };
    const campaign = compileCampaign({ campaignId: 'cmp-onboarding', version: 1, status: 'ACTIVE', definition, createdAt: '', updatedAt: '', createdBy: 'm' });
    const facts = { ...sampleFacts({ consents: { marketing: { app_push: true } } }), segments: [] } as CampaignFacts;
    const run = async () => {
      prefix = `${uniqueName('test_ledger')}:`;
      const [ledger] = ledgers(1);
      const entries = Array.from({ length: 10_000 }, (_, i): LedgerEntry => {
        const plan = planMessage({ campaign, customerId: `C${i}`, facts, now: NOW.toISOString(), openServiceCase: false, optedOut: [] }, DEFAULT_CAMPAIGN_RULES);
        if (plan.kind !== 'CANDIDATE') throw new Error(`expected a candidate, got ${plan.kind}`);
        return entry(campaign.stored.campaignId, `C${i}`, { plan }, {});
      });
      const outcomes = await ledger.settle(entries);
      return outcomes.flatMap((o, i) => (o?.kind === 'CONTROL' ? [i] : []));
    };
    const first = await run();
    expect(first.length / 10_000).toBeGreaterThanOrEqual(0.08);
    expect(first.length / 10_000).toBeLessThanOrEqual(0.12);
    expect(await run()).toEqual(first);
  });
});

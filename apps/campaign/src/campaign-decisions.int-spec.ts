import { EnvelopeInit, ProfileFeatures, TOPICS } from '@meridian/events';
import { newEnvelope } from '@meridian/events/kafka';
import { uniqueName, waitFor } from '@meridian/shared/testing';
import { armPoint } from './campaigns/domain/control-group';
import { endedWeeks } from './campaigns/domain/kpi-watch';
import { CampaignHarness, Decision, campaignDefinition as definition, what } from './testing/campaign-harness';

const MINUTE = 60_000;

/** Shanghai's wall clock `minutes` from now, 'HH:mm'. */
const shanghai = (minutes: number) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(Date.now() + minutes * MINUTE));

/**
 * Issue 12, point 2, with campaign as a real process against real Kafka, the MongoDB-wire
 * server and Redis (BullMQ): each suppression reason, in DOMAIN.md's order; the caps and the
 * budget; the control arm by its stable hash; a redelivered trigger that sends nothing twice;
 * no offer during an open complaint and offers again once it is resolved; an SMS in quiet hours
 * postponed and sent at the window's end. The quiet hours are set to end a minute or two after
 * the service starts, so the postponement is real; every campaign triggers on a segment of its
 * own, so the tests' campaigns never decide for each other's customers.
 */
describe('campaign decisions (real Kafka, MongoDB-wire server, Redis and BullMQ)', () => {
  const h = new CampaignHarness();
  const quietUntil = shanghai(3);
  const call = h.call.bind(h);
  const campaign = h.campaign.bind(h);
  const customer = h.customer.bind(h);
  const enter = h.enter.bind(h);
  const decided = h.decided.bind(h);
  const decisionsOf = h.decisionsOf.bind(h);
  const topic = (t: string) => h.topic(t);

  beforeAll(async () => {
    await h.start({ CAMPAIGN_KPI_EVERY_SECONDS: '2', CAMPAIGN_QUIET_CHANNELS: 'sms', CAMPAIGN_QUIET_HOURS: `${shanghai(-60)}-${quietUntil}` });
  }, 120_000);

  afterAll(() => h.stop());

  // Set off first: its window ends a minute or two after the service started; the last test sees the message go.
  let quiet: { customerId: string; campaignId: string; until: string };
  it('postpones an SMS decided in quiet hours to the window’s end (QUIET_HOURS, postponedUntil), spending nothing yet', async () => {
    const { campaignId, segmentId } = await campaign({ channels: ['sms'], templates: [definition('x').templates[1]], unitCostMinor: { sms: 5 } });
    const customerId = await customer();
    await enter(customerId, segmentId);
    const [d] = await decided(customerId);
    expect(what(d)).toBe('QUIET_HOURS');
    expect(d.payload.postponedUntil).toBeDefined();
    expect(shanghai((Date.parse(d.payload.postponedUntil as string) - Date.now()) / MINUTE)).toBe(quietUntil);
    quiet = { customerId, campaignId, until: d.payload.postponedUntil as string };
    expect((await call('GET', `/v1/campaigns/${campaignId}/stats`)).body).toMatchObject({ funnel: { sent: 0 }, costMinor: 0, postponed: 1, suppressed: {} });
  });

  it('refuses an invalid definition with 400 naming each field and rule, and a role that does not run campaigns with 403', async () => {
    const bad = { ...definition('s'), audience: { salary: { $gte: 1 } }, channels: ['app_push', 'fax'] };
    const res = await call('POST', '/v1/campaigns', bad);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'audience.salary', rule: 'isKnownField' }), expect.objectContaining({ field: 'channels', rule: 'isChannelList' })]));
    expect((await call('POST', '/v1/campaigns', { ...definition('s'), budget: 5 })).body.errors).toEqual([expect.objectContaining({ field: 'budget', rule: 'whitelistValidation' })]);
    expect((await call('POST', '/v1/campaigns', definition('s'), ['TELLER'])).status).toBe(403);
    const draft = await call('POST', '/v1/campaigns', definition('s'));
    expect((await call('POST', `/v1/campaigns/${draft.body.campaignId}/pause`)).status).toBe(409);
  });

  it('sends one message on the first consented channel with the variant that suits, and a redelivered trigger sends nothing twice', async () => {
    const { campaignId, segmentId } = await campaign();
    const customerId = await customer({ ageBand: '18-25' });
    const eventId = await enter(customerId, segmentId);
    const [d] = await decided(customerId);
    expect(d.type).toBe('CampaignMessageRequested');
    expect(d.payload).toMatchObject({ campaignId, channel: 'app_push', templateId: 'push', variant: 'TREATMENT', content: '尊敬的客户～看看理财产品' });
    await enter(customerId, segmentId, eventId);
    await enter(customerId, segmentId, eventId);
    await new Promise((r) => setTimeout(r, 3000));
    await h.out.readToEnd();
    const all = decisionsOf(customerId);
    expect(all.length).toBeGreaterThanOrEqual(1);
    expect(new Set(all.map((e) => e.eventId))).toEqual(new Set([d.eventId]));
    expect((await call('GET', `/v1/campaigns/${campaignId}/stats`)).body).toMatchObject({ funnel: { sent: 1 }, costMinor: 1, byChannel: { app_push: { sent: 1 } }, byVariant: { 'push/young': { sent: 1 } } });
  });

  it('suppresses in DOMAIN.md’s order: out of the audience, unsuitable, no consent, opted out', async () => {
    const { campaignId, segmentId } = await campaign({ audience: { tier: { $in: ['GOLD', 'DIAMOND'] } }, offer: { productType: 'WEALTH', riskLevel: 'R3' } });
    const cases: Array<[string, Promise<string>]> = [
      ['NOT_IN_AUDIENCE', customer({ riskTolerance: 'R1', consents: {} }, 'MASS')],
      ['UNSUITABLE', customer({ riskTolerance: 'R1', consents: {} })],
      ['NO_CONSENT', customer({ consents: {} })],
      ['OPTED_OUT', customer({ consents: { marketing: { app_push: false, sms: false } } })],
    ];
    for (const [reason, made] of cases) {
      const customerId = await made;
      await enter(customerId, segmentId);
      const [d] = await decided(customerId, 1, campaignId);
      expect([reason, what(d)]).toEqual([reason, reason]);
    }
  });

  it('counts the channel’s reports once each on the funnel, and an opt-out stops marketing on its channel', async () => {
    const first = await campaign({ channels: ['app_push'], templates: [definition('x').templates[0]], unitCostMinor: { app_push: 1 } });
    const customerId = await customer();
    await enter(customerId, first.segmentId);
    const [sent] = await decided(customerId, 1, first.campaignId);
    const report = (kind: string, channel = 'APP') =>
      newEnvelope('InteractionRecorded', { sourceSystem: 'push-gateway', sourceCustomerId: `S-${customerId}`, interactionId: uniqueName('ix'), channel, kind, campaignId: first.campaignId, messageId: sent.payload.messageId }, { source: 'meridian-ingest', customerId, occurredAt: new Date().toISOString() });
    // The gateway reports on what it was handed (a report before the hand-over would find the message given up on: OPTED_OUT).
    await waitFor(async () => (await call('GET', `/v1/campaigns/${first.campaignId}/stats`)).body.funnel.dispatched === 1, 60_000, 'the message handed over');
    // Delivered reported twice (the gateway retried), then opened, then the customer opts out from the app.
    await h.publisher.publishAll(['CAMPAIGN_DELIVERED', 'CAMPAIGN_DELIVERED', 'CAMPAIGN_OPENED', 'CAMPAIGN_OPTED_OUT'].map((kind) => ({ topic: TOPICS.interaction, envelope: report(kind) })));
    const stats = await waitFor(async () => {
      const body = (await call('GET', `/v1/campaigns/${first.campaignId}/stats`)).body;
      return body.funnel.optedOut === 1 ? body : undefined;
    }, 60_000, 'the reports counted');
    expect(stats.funnel).toMatchObject({ sent: 1, failed: 0, delivered: 1, opened: 1, clicked: 0, optedOut: 1, converted: 0 });
    expect(stats.byChannel.app_push).toMatchObject({ sent: 1, failed: 0, delivered: 1, opened: 1, clicked: 0, optedOut: 1, converted: 0 });
    await waitFor(async () => (await h.redis.hexists(`${h.env.MONGODB_DATABASE}:cmp:optouts:${customerId}`, 'app_push')) === 1, 30_000, 'the opt-out kept');
    const second = await campaign({ channels: ['app_push'], templates: [definition('x').templates[0]], unitCostMinor: { app_push: 1 } });
    await enter(customerId, second.segmentId);
    expect((await decided(customerId, 1, second.campaignId)).map(what)).toEqual(['OPTED_OUT']);
  });

  it('waits for the profile version a trigger was derived from: consent withdrawn in it is never missed', async () => {
    const { campaignId, segmentId } = await campaign();
    const customerId = await customer();
    // Segmentation's news of version 2 comes before campaign has kept version 2, which withdrew every consent.
    const eventId = await enter(customerId, segmentId, `seg-${customerId}-p2-SegmentMembershipChanged-${segmentId}`);
    await new Promise((r) => setTimeout(r, 2000));
    await h.out.readToEnd();
    expect(decisionsOf(customerId, campaignId)).toEqual([]);
    const features: ProfileFeatures = { aumMinor: 1, productsHeld: [], txnCount30d: 0, txnCount90d: 0, txnAmount30dMinor: 0, txnAmount90dMinor: 0, tags: [], consents: { marketing: { app_push: false, sms: false } }, riskTolerance: 'R3' };
    await h.publisher.publishAll([{ topic: TOPICS.profile, envelope: newEnvelope('ProfileUpdated', { customerId, version: 2, changedFields: ['consents'], features }, { source: 'meridian-profile', customerId, occurredAt: new Date().toISOString() }) }]);
    const [d] = await decided(customerId, 1, campaignId);
    expect([what(d), d.payload.messageId]).toEqual(['OPTED_OUT', expect.any(String)]);
    expect(d.causationId).toBe(eventId);
  });

  it('attributes a goal event inside the window to the last message, counts control conversions for the uplift, and measures products and AUM by arm', async () => {
    const { campaignId, segmentId } = await campaign({ controlShare: 0.5, offer: { productType: 'WEALTH', riskLevel: 'R2', valueMinor: 500 }, attributionWindowDays: 14 });
    const customers = await Promise.all(Array.from({ length: 6 }, () => customer({ aumMinor: 1_000_000 })));
    for (const c of customers) await enter(c, segmentId);
    const arms = await Promise.all(customers.map(async (c) => ((await decided(c, 1, campaignId))[0].type === 'CampaignMessageRequested' ? 'TREATMENT' : 'CONTROL')));
    const treated = customers.filter((_, i) => arms[i] === 'TREATMENT');
    const held = customers.filter((_, i) => arms[i] === 'CONTROL');
    expect([treated.length, held.length]).toEqual([arms.filter((a) => a === 'TREATMENT').length, arms.filter((a) => a === 'CONTROL').length]);
    const DAY = 86_400_000;
    const productOpened = (customerId: string, productType: string, inMs: number) =>
      ({ topic: TOPICS.product, envelope: newEnvelope('ProductOpened', { sourceSystem: 'core-banking', sourceCustomerId: `S-${customerId}`, productId: uniqueName('P'), productType, productCode: 'W1', openedAt: new Date(Date.now() + inMs).toISOString() }, { source: 'meridian-ingest', customerId, occurredAt: new Date(Date.now() + inMs).toISOString() }) });
    // Every customer opens a WEALTH product 15 days on (outside the window: no conversion), then every one but the last of each arm opens one within the hour (inside), and a FUND too (a product, no conversion).
    await h.publisher.publishAll(customers.map((c) => productOpened(c, 'WEALTH', 15 * DAY)));
    const converting = [...treated.slice(0, -1), ...held.slice(0, -1)];
    await h.publisher.publishAll([...converting.map((c) => productOpened(c, 'WEALTH', 60_000)), ...converting.map((c) => productOpened(c, 'FUND', 120_000))]);
    // A treated customer's AUM grows by 250,000 minor, a held-out one's falls by 100,000.
    const aum = (customerId: string, aumMinor: number) => ({ topic: TOPICS.profile, envelope: newEnvelope('ProfileUpdated', { customerId, version: 2, changedFields: ['aumMinor'], features: { aumMinor, productsHeld: [], txnCount30d: 0, txnCount90d: 0, txnAmount30dMinor: 0, txnAmount90dMinor: 0, tags: [] } }, { source: 'meridian-profile', customerId, occurredAt: new Date(Date.now() + 30_000).toISOString() }) });
    await h.publisher.publishAll([...(treated[0] ? [aum(treated[0], 1_250_000)] : []), ...(held[0] ? [aum(held[0], 900_000)] : [])]);
    const stats = await waitFor(async () => {
      const body = (await call('GET', `/v1/campaigns/${campaignId}/stats`)).body;
      const o = body.outcomes;
      return o.treatment.converted + o.control.converted === converting.length && o.treatment.productsOpened + o.control.productsOpened === 2 * converting.length && o.treatment.netNewAumMinor === (treated[0] ? 250_000 : 0) && o.control.netNewAumMinor === (held[0] ? -100_000 : 0) ? body : undefined;
    }, 60_000, 'the conversions counted');
    const o = stats.outcomes;
    expect(o.treatment).toMatchObject({ customers: treated.length, converted: Math.max(0, treated.length - 1) });
    expect(o.control).toMatchObject({ customers: held.length, converted: Math.max(0, held.length - 1) });
    expect(stats.funnel.converted).toBe(o.treatment.converted);
    expect(o.attributedValueMinor).toBe(500 * o.treatment.converted);
    await h.out.readToEnd();
    const credits = h.out.json<Decision & { payload: { conversionType: string; valueMinor: number } }>(topic(TOPICS.campaign)).filter((e) => e.type === 'ConversionAttributed' && e.payload.campaignId === campaignId);
    expect(new Set(credits.map((e) => e.payload.customerId))).toEqual(new Set(treated.slice(0, -1)));
    expect(credits.every((e) => e.payload.conversionType === 'ProductOpened:WEALTH' && e.payload.valueMinor === 500)).toBe(true);
  });

  it('watches each campaign’s weeks against its target: RED two weeks running publishes CampaignKpiAlert once; YELLOW does not', async () => {
    const red = await campaign({ targetConversionRate: 0.05 });
    const yellow = await campaign({ targetConversionRate: 0.05 });
    // Two ended weeks of messages and their conversions, in the counters' format (weeks cannot be waited for in a test).
    const [last, before] = endedWeeks(new Date(), 'Asia/Shanghai', 2);
    const stats = (id: string) => `${h.env.MONGODB_DATABASE}:cmp:stats:${id}`;
    await h.redis.hset(stats(red.campaignId), `sent:week:${last}`, 200, `converted:week:${last}`, 2, `sent:week:${before}`, 100, `converted:week:${before}`, 3);
    await h.redis.hset(stats(yellow.campaignId), `sent:week:${last}`, 200, `converted:week:${last}`, 2, `sent:week:${before}`, 100, `converted:week:${before}`, 4);
    const alerts = async () => (await h.out.readToEnd(), h.out.json<EnvelopeInit<{ campaignId: string; week: string; status: string; conversionRate: number; target: number }>>(topic(TOPICS.campaign)).filter((e) => e.type === 'CampaignKpiAlert'));
    const [alert] = await waitFor(async () => {
      const found = (await alerts()).filter((e) => e.payload.campaignId === red.campaignId);
      return found.length ? found : undefined;
    }, 60_000, 'the KPI alert');
    expect(alert.payload).toEqual({ campaignId: red.campaignId, week: last, status: 'RED', conversionRate: 0.01, target: 0.05 });
    await new Promise((r) => setTimeout(r, 5000));
    expect((await alerts()).filter((e) => e.payload.campaignId === red.campaignId)).toHaveLength(1);
    expect((await alerts()).filter((e) => e.payload.campaignId === yellow.campaignId)).toHaveLength(0);
    expect((await call('GET', `/v1/campaigns/${yellow.campaignId}/stats`)).body.kpi.map((w: { week: string; status: string }) => [w.week, w.status])).toEqual([[last, 'RED'], [before, 'YELLOW']]);
  });

  it('prefers the consented channel that converts best for the customer’s tier once it has 200 deliveries of history, and keeps that history', async () => {
    const history = `${h.env.MONGODB_DATABASE}:cmp:history`;
    await h.redis.hset(history, 'DIAMOND:delivered:app_push', 300, 'DIAMOND:converted:app_push', 3, 'DIAMOND:delivered:email', 300, 'DIAMOND:converted:email', 30);
    const { campaignId, segmentId } = await campaign({ channels: ['app_push', 'email'], templates: [definition('x').templates[0], { templateId: 'mail', channel: 'email', locale: 'en', body: '{{greeting}}, a {{productName}} for you' }], unitCostMinor: { app_push: 1, email: 2 } });
    const customerId = await customer({ consents: { marketing: { app_push: true, email: true } } }, 'DIAMOND');
    await enter(customerId, segmentId);
    const [d] = await decided(customerId, 1, campaignId);
    expect([d.type, d.payload.channel, d.payload.content]).toEqual(['CampaignMessageRequested', 'email', 'Dear customer, a wealth product for you']);
    await h.publisher.publishAll([{ topic: TOPICS.interaction, envelope: newEnvelope('InteractionRecorded', { sourceSystem: 'mail-gateway', sourceCustomerId: `S-${customerId}`, interactionId: uniqueName('ix'), channel: 'EMAIL', kind: 'CAMPAIGN_DELIVERED', campaignId, messageId: d.payload.messageId }, { source: 'meridian-ingest', customerId, occurredAt: new Date().toISOString() }) }]);
    await waitFor(async () => (await h.redis.hget(history, 'DIAMOND:delivered:email')) === '301', 30_000, 'the delivery on the tier’s history');
    // A customer of a tier without history goes by the campaign's order.
    const other = await customer({ consents: { marketing: { app_push: true, email: true } } }, 'SILVER');
    await enter(other, segmentId);
    expect((await decided(other, 1, campaignId)).map(what)).toEqual(['SENT:app_push']);
  });

  it('offers nothing during an open complaint, and offers again once it is resolved', async () => {
    const { campaignId, segmentId } = await campaign({ cap: { messages: 1, days: 30 } });
    const customerId = await customer();
    const ticketId = uniqueName('TK');
    const at = (ms: number) => new Date(Date.now() + ms).toISOString();
    const caseOf = () => h.redis.hget(`${h.env.MONGODB_DATABASE}:cmp:cases:${customerId}`, ticketId);
    await h.publisher.publishAll([{ topic: TOPICS.ticket, envelope: newEnvelope('TicketOpened', { customerId, ticketId, category: 'COMPLAINT', queue: 'GENERAL', priority: 'P2' }, { source: 'meridian-service-desk', customerId, occurredAt: at(0) }) }]);
    await waitFor(async () => (await caseOf())?.startsWith('open|'), 60_000, 'the complaint kept');
    await enter(customerId, segmentId);
    expect((await decided(customerId, 1, campaignId)).map(what)).toEqual(['OPEN_SERVICE_CASE']);
    await h.publisher.publishAll([{ topic: TOPICS.ticket, envelope: newEnvelope('TicketStatusChanged', { customerId, ticketId, from: 'IN_PROGRESS', to: 'RESOLVED', by: 'agent-1' }, { source: 'meridian-service-desk', customerId, occurredAt: at(1) }) }]);
    await waitFor(async () => (await caseOf())?.startsWith('closed|'), 60_000, 'the complaint resolved');
    await enter(customerId, segmentId);
    expect((await decided(customerId, 2, campaignId)).map(what)).toEqual(['OPEN_SERVICE_CASE', 'SENT:app_push']);
  });

  it('forgets an erased customer — their sends, touches and segmentation’s news — and offers them nothing more (PIPL)', async () => {
    const { campaignId, segmentId } = await campaign();
    const customerId = await customer();
    await enter(customerId, segmentId);
    expect((await decided(customerId, 1, campaignId)).map(what)).toEqual(['SENT:app_push']);
    const prefix = `${h.env.MONGODB_DATABASE}:cmp:`;
    const traces = async () => (await h.redis.keys(`${prefix}*${customerId}*`)).map((k) => k.slice(prefix.length).replace(customerId, '<c>').replace(campaignId, '<campaign>')).sort();
    const segmentsDoc = () => h.db.collection('customer_segments').findOne({ _id: customerId as never });
    expect(await traces()).toEqual(['arms:<c>', 'facts:<c>', 'sends:<c>', 'sends:<c>:<campaign>']);
    expect(await segmentsDoc()).not.toBeNull();

    await h.erase(customerId);
    await waitFor(async () => (await traces()).join() === 'facts:<c>' || undefined, 60_000, 'the traces forgotten');
    expect(await h.redis.hgetall(`${prefix}facts:${customerId}`)).toEqual({ v: '2', s: 'ERASED' });
    await waitFor(async () => (await segmentsDoc()) === null || undefined, 60_000, 'segmentation’s news of them deleted');
    // Segmentation's news after the erasure is kept nowhere, and sets nothing off.
    await enter(customerId, segmentId);
    const [, after] = await decided(customerId, 2, campaignId);
    expect(after.type).toBe('CampaignMessageSuppressed');
    // The decision goes out while MongoDB's copy is written; the news written there is deleted once it landed.
    await waitFor(async () => (await segmentsDoc()) === null || undefined, 60_000, 'segmentation’s news after the erasure deleted');
    expect(await traces()).toEqual(['facts:<c>']);
  });

  it('caps each campaign at one message per customer per 30 days, and the customer at two across campaigns per 7 days', async () => {
    const segmentId = uniqueName('seg');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const created = await call('POST', '/v1/campaigns', definition(segmentId));
      await call('POST', `/v1/campaigns/${created.body.campaignId}/activate`);
      ids.push(created.body.campaignId);
    }
    const customerId = await customer();
    await enter(customerId, segmentId);
    const first = await decided(customerId, 3);
    expect(first.map(what).sort()).toEqual(['FREQUENCY_CAP', 'SENT:app_push', 'SENT:app_push']);
    await enter(customerId, segmentId);
    const second = await decided(customerId, 6);
    expect(second.slice(3).map(what)).toEqual(['FREQUENCY_CAP', 'FREQUENCY_CAP', 'FREQUENCY_CAP']);
  });

  it('spends the budget to the last message and suppresses the rest (BUDGET)', async () => {
    const { campaignId, segmentId } = await campaign({ budgetMinor: 3 });
    const customers = await Promise.all(Array.from({ length: 5 }, () => customer()));
    for (const c of customers) await enter(c, segmentId);
    const outcomes = (await Promise.all(customers.map((c) => decided(c, 1, campaignId)))).map(([d]) => what(d));
    expect(outcomes.sort()).toEqual(['BUDGET', 'BUDGET', 'SENT:app_push', 'SENT:app_push', 'SENT:app_push']);
    expect((await call('GET', `/v1/campaigns/${campaignId}/stats`)).body).toMatchObject({ funnel: { sent: 3 }, costMinor: 3, suppressed: { BUDGET: 2 } });
  });

  it('holds out the control customers by the stable hash of customer and campaign: tracked (CONTROL_GROUP), not contacted', async () => {
    const { campaignId, segmentId } = await campaign({ controlShare: 0.5 });
    const customers = await Promise.all(Array.from({ length: 8 }, () => customer()));
    for (const c of customers) await enter(c, segmentId);
    for (const c of customers) {
      const [d] = await decided(c, 1, campaignId);
      expect([c, what(d)]).toEqual([c, armPoint(campaignId, c) < 0.5 ? 'CONTROL_GROUP' : 'SENT:app_push']);
    }
  });

  it('sends the postponed SMS at the window’s end, once', async () => {
    const [postponed, sent] = await decided(quiet.customerId, 2, quiet.campaignId, 4 * MINUTE);
    expect(what(postponed)).toBe('QUIET_HOURS');
    expect(sent.type).toBe('CampaignMessageRequested');
    expect(sent.payload).toMatchObject({ channel: 'sms', content: '尊敬的客户，客户经理RM007为您准备了理财产品' });
    expect(Date.parse(sent.occurredAt)).toBeGreaterThanOrEqual(Date.parse(quiet.until));
    expect((await call('GET', `/v1/campaigns/${quiet.campaignId}/stats`)).body).toMatchObject({ funnel: { sent: 1 }, costMinor: 5, postponed: 1, suppressed: {} });
  }, 5 * MINUTE);
});

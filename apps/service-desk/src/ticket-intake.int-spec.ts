import { EnvelopeInit, InteractionKind, InteractionRecorded, Role, TOPICS, TierChanged } from '@meridian/events';
import { EventPublisher, ensureTopics, newEnvelope } from '@meridian/events/kafka';
import { SAMPLE_PAYLOADS } from '@meridian/events/testing';
import { ServiceProcess, TopicReader, freePort, serviceTestEnv, signTestToken, startService, testKafka, testServers, uniqueName, waitFor } from '@meridian/shared/testing';
import Redis from 'ioredis';
import { Kafka } from 'kafkajs';
import mongoose, { Connection } from 'mongoose';
import { ticketIdFor } from './tickets/application/ticket-id';

/**
 * Issue 11, intake: service-desk as a real process against real Kafka, the MongoDB-wire
 * server and Redis. Interactions of a ticket kind become tickets — classified from Chinese
 * and English text, prioritised with the tier segmentation announced — once each, however
 * often they arrive; the rest is skipped, and what cannot be applied is dead-lettered.
 */
describe('service-desk ticket intake (real Kafka, MongoDB-wire server and Redis)', () => {
  let env: Record<string, string>;
  let kafka: Kafka;
  let service: ServiceProcess;
  let publisher: EventPublisher;
  let out: TopicReader;
  let db: Connection;
  const SOURCE = 'CALLCENTER';
  const topic = (t: string) => `${env.KAFKA_TOPIC_PREFIX}${t}`;

  function interaction(customerId: string | undefined, interactionId: string, kind: InteractionKind, text?: string, eventId = `ix-${interactionId}`): { topic: string; envelope: EnvelopeInit } {
    const payload: InteractionRecorded = { sourceSystem: SOURCE, sourceCustomerId: `S-${customerId ?? 'none'}`, interactionId, channel: 'CALL_CENTER', kind, ...(text !== undefined && { text }) };
    return { topic: TOPICS.interaction, envelope: newEnvelope('InteractionRecorded', payload, { eventId, source: 'meridian-ingest', ...(customerId && { customerId }), occurredAt: new Date().toISOString() }) };
  }

  function tierChanged(customerId: string, to: TierChanged['to'], occurredAt = '2026-12-01T09:00:00+08:00'): { topic: string; envelope: EnvelopeInit } {
    const payload: TierChanged = { customerId, from: 'GOLD', to, reason: 'AUM crossed the threshold' };
    return { topic: TOPICS.segment, envelope: newEnvelope('TierChanged', payload, { eventId: uniqueName('tier'), source: 'meridian-segmentation', customerId, occurredAt }) };
  }

  const opened = (ticketId: string) => out.json<EnvelopeInit<{ ticketId: string }>>(topic(TOPICS.ticket)).filter((e) => e.type === 'TicketOpened' && e.payload.ticketId === ticketId);
  const ticketDoc = (ticketId: string) => db.collection('tickets').findOne({ _id: ticketId as never });
  /** Waits until the ticket is stored and its TicketOpened is out (its outbox cleared). */
  const settled = (ticketId: string) => waitFor(async () => {
    const doc = await ticketDoc(ticketId);
    return doc && doc.outbox.length === 0 ? doc : undefined;
  }, 60_000, `ticket ${ticketId} opened and announced`);

  async function get(ticketId: string, roles: Role[]) {
    const token = await signTestToken(env.JWT_SECRET, { roles, sub: 'agent-7', branchId: 'BR001' });
    const res = await fetch(`${service.url}/v1/tickets/${encodeURIComponent(ticketId)}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  async function post(body: unknown, roles: Role[], sub = 'teller-3') {
    const token = await signTestToken(env.JWT_SECRET, { roles, sub, branchId: 'BR001' });
    const res = await fetch(`${service.url}/v1/tickets`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  }

  beforeAll(async () => {
    env = serviceTestEnv('service-desk', { PORT: String(await freePort()) });
    kafka = testKafka();
    await ensureTopics(kafka, Object.values(TOPICS).map((t) => ({ topic: t })), { topicPrefix: env.KAFKA_TOPIC_PREFIX });
    service = await startService('service-desk', env);
    publisher = new EventPublisher(kafka, { topicPrefix: env.KAFKA_TOPIC_PREFIX });
    out = await new TopicReader(kafka, [topic(TOPICS.ticket), topic(TOPICS.deadLetter)]).start();
    db = await mongoose.createConnection(testServers().mongoUri, { dbName: env.MONGODB_DATABASE }).asPromise();
    await waitFor(async () => (await fetch(`${service.url}/health`)).status === 200, 60_000, 'service-desk healthy');
  }, 120_000);

  afterAll(async () => {
    if (process.env.SERVICE_DESK_TEST_DEBUG) console.log(service?.output());
    await service?.stop();
    await out?.stop();
    await publisher?.disconnect();
    if (db?.name.startsWith('test_')) await db.dropDatabase();
    await db?.close();
  });

  it('routes Chinese and English text to the queue its routing rule names, records the rule, and skips what is no ticket', async () => {
    const c = uniqueName('C');
    const cases = [
      { id: uniqueName('ix'), kind: 'CARD_LOSS' as const, text: '我的信用卡丢了，需要挂失', expect: { category: 'CARD_LOSS', queue: 'CARDS', priority: 'P1', topic: { ruleId: 'cards.lost', phrase: '卡丢了' } } },
      { id: uniqueName('ix'), kind: 'COMPLAINT' as const, text: '理财产品亏损严重，我要投诉', expect: { category: 'COMPLAINT', queue: 'WEALTH', priority: 'P2', topic: { ruleId: 'wealth.products', phrase: '理财产品' } } },
      { id: uniqueName('ix'), kind: 'INQUIRY' as const, text: 'There is an unauthorised charge on my credit card', expect: { category: 'DISPUTE', queue: 'CARDS', priority: 'P1', topic: { ruleId: 'cards.fraud', phrase: 'unauthorised charge' } } },
      { id: uniqueName('ix'), kind: 'INQUIRY' as const, text: 'What is the mortgage rate this month?', expect: { category: 'INQUIRY', queue: 'LOANS', priority: 'P3', topic: { ruleId: 'loans.mortgage', phrase: 'mortgage' } } },
      { id: uniqueName('ix'), kind: 'SERVICE_REQUEST' as const, text: '你好', expect: { category: 'SERVICE_REQUEST', queue: 'GENERAL', priority: 'P3' } },
    ];
    const login = uniqueName('ix');
    await publisher.publishAll([...cases.map((k) => interaction(c, k.id, k.kind, k.text)), interaction(c, login, 'LOGIN')]);
    for (const k of cases) {
      const doc = await settled(ticketIdFor(SOURCE, k.id));
      expect(doc).toMatchObject({ customerId: c, status: 'NEW', interactionId: k.id, channel: 'CALL_CENTER', ...k.expect });
      if (!('topic' in k.expect)) expect(doc.topic).toBeUndefined();
    }
    await out.readToEnd();
    for (const k of cases) expect(opened(ticketIdFor(SOURCE, k.id)).map((e) => e.payload)).toEqual([expect.objectContaining({ customerId: c, category: k.expect.category, queue: k.expect.queue, priority: k.expect.priority, interactionId: k.id })]);
    expect(await ticketDoc(ticketIdFor(SOURCE, login))).toBeNull();
  }, 120_000);

  it('opens one ticket for one interaction, however often and under however many eventIds it comes', async () => {
    const c = uniqueName('C');
    const id = uniqueName('ix');
    const ticketId = ticketIdFor(SOURCE, id);
    const copy = (n: number) => interaction(c, id, 'COMPLAINT', '柜台服务态度差，我要投诉', `ix-${id}-${n}`);
    await publisher.publishAll([copy(1), copy(1), copy(2)]);
    const first = await settled(ticketId);
    await publisher.publishAll([copy(3), copy(1)]);
    const later = uniqueName('ix');
    await publisher.publishAll([interaction(c, later, 'COMPLAINT', 'complaint')]); // comes after the copies on the customer's partition
    await settled(ticketIdFor(SOURCE, later));
    await out.readToEnd();
    expect(opened(ticketId)).toHaveLength(1);
    expect(opened(ticketId)[0].causationId).toBe(`ix-${id}-1`);
    expect(await ticketDoc(ticketId)).toMatchObject({ rev: first.rev, openedAt: first.openedAt });
  }, 120_000);

  it('raises the priority of a DIAMOND customer one level, from the tier segmentation announced', async () => {
    const [diamond, plain] = [uniqueName('C'), uniqueName('C')];
    await publisher.publishAll([tierChanged(diamond, 'DIAMOND')]);
    await waitFor(async () => (await db.collection('customer_contexts').findOne({ _id: diamond as never }))?.tier === 'DIAMOND', 60_000, 'the tier kept');
    const [a, b] = [uniqueName('ix'), uniqueName('ix')];
    await publisher.publishAll([interaction(diamond, a, 'COMPLAINT', '投诉'), interaction(plain, b, 'COMPLAINT', '投诉')]);
    expect(await settled(ticketIdFor(SOURCE, a))).toMatchObject({ category: 'COMPLAINT', priority: 'P1' });
    expect(await settled(ticketIdFor(SOURCE, b))).toMatchObject({ category: 'COMPLAINT', priority: 'P2' });
  }, 120_000);

  it('keeps the newest tier segmentation decided, whatever order its TierChanged arrive in', async () => {
    const c = uniqueName('C');
    // The downgrade decided at 09:30 arrives first; an older DIAMOND decision (09:00), sent again after it, changes nothing.
    await publisher.publishAll([tierChanged(c, 'SILVER', '2026-12-01T09:30:00+08:00')]);
    await waitFor(async () => (await db.collection('customer_contexts').findOne({ _id: c as never }))?.tier === 'SILVER', 60_000, 'the tier kept');
    await publisher.publishAll([tierChanged(c, 'DIAMOND', '2026-12-01T09:00:00+08:00')]);
    const id = uniqueName('ix');
    await publisher.publishAll([interaction(c, id, 'COMPLAINT', '投诉')]);
    expect(await settled(ticketIdFor(SOURCE, id))).toMatchObject({ priority: 'P2' });
    expect(await db.collection('customer_contexts').findOne({ _id: c as never })).toMatchObject({ tier: 'SILVER', tierAt: '2026-12-01T09:30:00+08:00' });
  }, 120_000);

  it('sends what a crash left in a ticket’s outbox when the interaction comes again, and only that', async () => {
    const c = uniqueName('C');
    const id = uniqueName('ix');
    const ticketId = ticketIdFor(SOURCE, id);
    await publisher.publishAll([interaction(c, id, 'CARD_LOSS', 'lost my card')]);
    const doc = await settled(ticketId);
    await out.readToEnd();
    const [event] = opened(ticketId);
    // As if the process died after the insert and before the publish: the outbox is still there.
    const pending = { ...event, eventId: `${event.eventId}-pending` };
    await db.collection('tickets').updateOne({ _id: ticketId as never }, { $set: { outbox: [pending] } });
    await publisher.publishAll([interaction(c, id, 'CARD_LOSS', 'lost my card', `ix-${id}-again`)]);
    await waitFor(async () => out.json<EnvelopeInit>(topic(TOPICS.ticket)).some((e) => e.eventId === pending.eventId), 60_000, 'the pending outbox sent');
    await settled(ticketId);
    await out.readToEnd();
    expect(opened(ticketId).map((e) => e.eventId)).toEqual([event.eventId, pending.eventId]);
    expect((await ticketDoc(ticketId))?.rev).toBe(doc.rev);
  }, 120_000);

  it('dead-letters an interaction that names no customer, and goes on', async () => {
    const [orphan, next] = [uniqueName('ix'), uniqueName('ix')];
    const c = uniqueName('C');
    await publisher.publishAll([interaction(undefined, orphan, 'COMPLAINT', '投诉'), interaction(c, next, 'COMPLAINT', '投诉')]);
    await settled(ticketIdFor(SOURCE, next));
    await waitFor(async () => out.json<EnvelopeInit<{ reason: { field?: string } }>>(topic(TOPICS.deadLetter)).some((d) => Buffer.from(String((d.payload as { rawValue?: string }).rawValue), 'base64').toString().includes(orphan)), 60_000, 'the orphan dead-lettered');
    const dead = out.json<EnvelopeInit<{ rawValue: string; reason: { code: string; field?: string; rule?: string } }>>(topic(TOPICS.deadLetter)).find((d) => Buffer.from(d.payload.rawValue, 'base64').toString().includes(orphan));
    expect(dead?.payload.reason).toMatchObject({ code: 'REJECTED', field: 'customerId', rule: 'isResolvedCustomer' });
    expect(await ticketDoc(ticketIdFor(SOURCE, orphan))).toBeNull();
  }, 120_000);

  it('GET /v1/tickets/{id}: the ticket with its clocks to agents and administrators; 404 for none; no free text kept', async () => {
    const c = uniqueName('C');
    const id = uniqueName('ix');
    const ticketId = ticketIdFor(SOURCE, id);
    await publisher.publishAll([interaction(c, id, 'DISPUTE', '这笔交易不是我刷的，被盗刷了')]);
    const doc = await settled(ticketId);
    // Read to classify, not kept: the rule that matched is.
    expect(JSON.stringify(doc)).not.toContain('这笔交易');
    const openedAt = new Date(doc.openedAt).toISOString();
    for (const roles of [['SERVICE_AGENT'], ['ADMIN']] as Role[][]) {
      const answer = await get(ticketId, roles);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ ticketId, customerId: c, category: 'DISPUTE', queue: 'CARDS', priority: 'P1', status: 'NEW', topic: { ruleId: 'cards.fraud', phrase: '不是我刷的' }, openedAt, history: [] });
      expect(answer.body.clocks).toEqual({ FIRST_RESPONSE: { status: 'RUNNING', runningSince: openedAt, reached: [] }, RESOLUTION: { status: 'RUNNING', runningSince: openedAt, reached: [] } });
      expect(answer.body.text).toBeUndefined();
    }
    expect((await get('TKT-none', ['SERVICE_AGENT'])).status).toBe(404);
    // Marketing sees no single customer; the branch roles see none whose branch and RM the desk does not know (no ProfileUpdated for this one).
    for (const roles of [['MARKETING'], ['TELLER'], ['RM'], ['BRANCH_MANAGER']] as Role[][]) expect((await get(ticketId, roles)).status).toBe(403);
  }, 120_000);

  it('POST /v1/tickets opens a ticket by hand, once per request key, classified and prioritised as intake does', async () => {
    const c = uniqueName('C');
    const requestId = uniqueName('desk');
    const body = { customerId: c, kind: 'COMPLAINT', channel: 'BRANCH', text: '网银转账失败，钱没到账', requestId };
    const first = await post(body, ['TELLER']);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ customerId: c, category: 'COMPLAINT', queue: 'DIGITAL', priority: 'P2', status: 'NEW', channel: 'BRANCH', topic: { ruleId: 'digital.transfer', phrase: '转账失败' } });
    expect(first.body.clocks.FIRST_RESPONSE).toMatchObject({ status: 'RUNNING', runningSince: first.body.openedAt });
    // A retry of the same request (a lost answer, a double click): the same ticket, announced once.
    const again = await post(body, ['TELLER']);
    expect(again.status).toBe(200);
    expect(again.body.ticketId).toBe(first.body.ticketId);
    // Another person's request under the same key is theirs.
    const other = await post(body, ['SERVICE_AGENT'], 'agent-9');
    expect(other.status).toBe(201);
    expect(other.body.ticketId).not.toBe(first.body.ticketId);
    await out.readToEnd();
    expect(opened(first.body.ticketId)).toHaveLength(1);
    expect(opened(other.body.ticketId)).toHaveLength(1);
    expect(await ticketDoc(first.body.ticketId)).toMatchObject({ sourceSystem: 'meridian-service-desk', outbox: [] });
  }, 120_000);

  it('POST /v1/tickets answers 400 naming the field and the rule, and 403 to who may not open tickets', async () => {
    const ok = { customerId: uniqueName('C'), kind: 'INQUIRY', channel: 'APP', requestId: uniqueName('desk') };
    const refused = [
      [{ ...ok, kind: 'LOGIN' }, 'kind', 'isIn'],
      [{ ...ok, channel: 'FAX' }, 'channel', 'isIn'],
      [{ ...ok, requestId: 'short' }, 'requestId', 'isLength'],
      [{ ...ok, requestId: 'has spaces in it' }, 'requestId', 'matches'],
      [{ ...ok, customerId: undefined }, 'customerId', 'isString'],
      [{ ...ok, text: 'x'.repeat(4001) }, 'text', 'maxLength'],
      [{ ...ok, priority: 'P1' }, 'priority', 'whitelistValidation'],
    ] as const;
    for (const [body, field, rule] of refused) {
      const answer = await post(body, ['SERVICE_AGENT']);
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, rule })]));
    }
    for (const roles of [['MARKETING'], ['BRANCH_MANAGER'], ['AUDITOR']] as Role[][]) expect((await post(ok, roles)).status).toBe(403);
  }, 120_000);
  it('lists a merged customer’s tickets and interactions under the survivor profile names, and gives them back on an unmerge', async () => {
    const [survivor, merged] = [uniqueName('C'), uniqueName('C')];
    const [lossId, complaintId, loginId] = [uniqueName('ix'), uniqueName('ix'), uniqueName('ix')];
    await publisher.publishAll([interaction(survivor, lossId, 'CARD_LOSS', '我的卡丢了'), interaction(merged, complaintId, 'COMPLAINT', '柜台态度差'), interaction(merged, loginId, 'LOGIN')]);
    const [loss, complaint] = [ticketIdFor(SOURCE, lossId), ticketIdFor(SOURCE, complaintId)];
    await Promise.all([settled(loss), settled(complaint)]);
    const context = async (ticketId: string) => (await get(ticketId, ['SERVICE_AGENT'])).body.context as Record<string, any>;
    const interactionIds = (c: Record<string, any>) => c.recentInteractions.map((i: { interactionId: string }) => i.interactionId).sort();
    // Both customers' interactions are kept before the merge (they are recorded after the openings).
    await waitFor(async () => interactionIds(await context(complaint)).length === 2, 30_000, 'the merged customer’s interactions kept');
    expect(await context(loss)).toMatchObject({ customerId: survivor, openTickets: [] });
    // Profile folded ingest's merge: the merged customer's ProfileUpdated says MERGED into the survivor (sent twice: a redelivery).
    const profileUpdated = (customerId: string, version: number, extra: object) => {
      const payload = { ...structuredClone(SAMPLE_PAYLOADS[TOPICS.profile].ProfileUpdated), customerId, version, ...extra };
      return { topic: TOPICS.profile, envelope: newEnvelope('ProfileUpdated', payload, { eventId: `pu-${customerId}-${version}`, source: 'meridian-profile', customerId, occurredAt: new Date().toISOString() }) };
    };
    const mergedAway = profileUpdated(merged, 2, { status: 'MERGED', mergedInto: survivor });
    await publisher.publishAll([mergedAway, mergedAway]);
    const joined = await waitFor(async () => {
      const c = await context(loss);
      return c.mergedFrom?.includes(merged) ? c : undefined;
    }, 60_000, 'the merge folded');
    expect(joined).toMatchObject({ customerId: survivor, mergedFrom: [merged], openTickets: [expect.objectContaining({ ticketId: complaint, category: 'COMPLAINT' })] });
    expect(interactionIds(joined)).toEqual([lossId, complaintId, loginId].sort());
    // The merged customer's own ticket shows the survivor beside it, the survivor's card loss among their open tickets.
    expect(await context(complaint)).toMatchObject({ customerId: survivor, mergedFrom: [merged], openTickets: [expect.objectContaining({ ticketId: loss })] });
    // An ADMIN undid the merge: profile announces the restored customer ACTIVE again, at a newer version; each has their own again.
    await publisher.publishAll([profileUpdated(merged, 3, { status: 'ACTIVE' })]);
    const apart = await waitFor(async () => {
      const c = await context(loss);
      return c.mergedFrom === undefined ? c : undefined;
    }, 60_000, 'the unmerge folded');
    expect(apart).toMatchObject({ customerId: survivor, openTickets: [] });
    expect(interactionIds(apart)).toEqual([lossId]);
    expect(await context(complaint)).toMatchObject({ customerId: merged, openTickets: [] });
    // The merge delivered again after its undoing is an older version: it changes nothing — not even the index (a newer ACTIVE fact after it, on the same key, says when it was read).
    await publisher.publishAll([mergedAway, profileUpdated(merged, 4, { status: 'ACTIVE' })]);
    await waitFor(async () => (await db.collection('customer_profiles').findOne({ _id: merged as never }))?.version === 4, 30_000, 'the redelivery read');
    const redis = new Redis(testServers().redisUrl, { maxRetriesPerRequest: null });
    try {
      expect(await redis.sismember(`${env.MONGODB_DATABASE}:sd:members:${survivor}`, merged)).toBe(0);
    } finally {
      redis.disconnect();
    }
    expect((await context(loss)).mergedFrom).toBeUndefined();
    expect((await context(complaint)).customerId).toBe(merged);
  }, 180_000);
});

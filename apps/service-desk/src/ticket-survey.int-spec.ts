import { EnvelopeInit, InteractionRecorded, Role, TOPICS, TierChanged } from '@meridian/events';
import { EventPublisher, ensureTopics, newEnvelope } from '@meridian/events/kafka';
import { residentId, sampleEnvelope } from '@meridian/events/testing';
import { ServiceProcess, TopicReader, freePort, serviceTestEnv, signTestToken, startService, testKafka, testServers, uniqueName, waitFor } from '@meridian/shared/testing';
import Redis from 'ioredis';
import { Kafka } from 'kafkajs';
import mongoose, { Connection } from 'mongoose';
import { ticketIdFor } from './tickets/application/ticket-id';

type Doc = Record<string, any>;

/**
 * Issue 11, point 6, end to end: profile and service-desk as real processes on one set of
 * topics (real Kafka, the MongoDB-wire server, Redis). The customer's consents come from the
 * core banking system through profile (ProfileUpdated); a resolved ticket sends its survey on
 * a channel the customer consented to and never on one they refused; the answer (a
 * SURVEY_RESPONSE interaction) is recorded on the ticket once, published as
 * SatisfactionRecorded, and profile folds it into the customer's latestCsat.
 */
describe('service-desk satisfaction surveys, through profile (real Kafka, MongoDB-wire server and Redis)', () => {
  let env: Record<string, string>;
  let kafka: Kafka;
  let desk: ServiceProcess;
  let profile: ServiceProcess;
  let publisher: EventPublisher;
  let out: TopicReader;
  let db: Connection;
  let profileDb: Connection;
  let profileDbName: string;
  let redis: Redis;
  const SOURCE = 'CALLCENTER';
  let n = 0;
  const topic = (t: string) => `${env.KAFKA_TOPIC_PREFIX}${t}`;

  /** The customer as the core banking system sends them, with these marketing consents (absent: none). */
  async function customerWith(marketing: Record<string, boolean> | undefined): Promise<string> {
    const customerId = uniqueName('C');
    const e = sampleEnvelope(TOPICS.customer, 'CustomerUpserted', { customerId, occurredAt: new Date().toISOString(), eventId: `${customerId}-cu` });
    Object.assign(e.payload as object, { sourceCustomerId: `S-${customerId}`, idNumber: residentId('19880214', '110105', String(100 + (++n % 800))), consents: marketing ? { marketing } : undefined });
    await publisher.publishAll([{ topic: TOPICS.customer, envelope: e }]);
    // Service-desk has the profile's consents once its ProfileUpdated is folded.
    await waitFor(async () => !!(await db.collection('customer_profiles').findOne({ _id: customerId as never })), 60_000, `${customerId}'s profile at the service desk`);
    return customerId;
  }

  function interaction(customerId: string, payload: Partial<InteractionRecorded> & Pick<InteractionRecorded, 'kind'>): { topic: string; envelope: EnvelopeInit } {
    const interactionId = payload.interactionId ?? uniqueName('ix');
    const full: InteractionRecorded = { sourceSystem: SOURCE, sourceCustomerId: `S-${customerId}`, channel: 'CALL_CENTER', ...payload, interactionId };
    return { topic: TOPICS.interaction, envelope: newEnvelope('InteractionRecorded', full, { eventId: `ix-${interactionId}-${++n}`, source: 'meridian-ingest', customerId, occurredAt: new Date().toISOString() }) };
  }

  /** A complaint, answered and resolved by an agent: the ticket as PATCH answered it. */
  async function resolvedComplaint(customerId: string): Promise<Doc> {
    const opening = interaction(customerId, { kind: 'COMPLAINT', text: '柜台服务态度差，我要投诉' });
    await publisher.publishAll([opening]);
    const ticketId = ticketIdFor(SOURCE, (opening.envelope.payload as InteractionRecorded).interactionId);
    await waitFor(async () => (await db.collection('tickets').findOne({ _id: ticketId as never }))?.outbox.length === 0, 60_000, 'the ticket opened');
    expect((await patch(ticketId, { status: 'IN_PROGRESS', assigneeId: 'agent-7' })).status).toBe(200);
    const resolved = await patch(ticketId, { status: 'RESOLVED', resolution: '已向客户致歉并改进' });
    expect(resolved.status).toBe(200);
    return resolved.body;
  }

  async function patch(ticketId: string, body: unknown, roles: Role[] = ['SERVICE_AGENT']) {
    const token = await signTestToken(env.JWT_SECRET, { roles, sub: 'agent-7', branchId: 'BR001' });
    const res = await fetch(`${desk.url}/v1/tickets/${ticketId}`, { method: 'PATCH', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Doc };
  }

  const ticketEvents = (ticketId: string, type: string) => out.json<EnvelopeInit<Doc>>(topic(TOPICS.ticket)).filter((e) => e.type === type && e.payload.ticketId === ticketId);
  const deadLettered = () => out.json<EnvelopeInit<{ rawValue: string; reason: Doc }>>(topic(TOPICS.deadLetter)).map((d) => ({ raw: Buffer.from(d.payload.rawValue, 'base64').toString(), reason: d.payload.reason }));

  beforeAll(async () => {
    env = serviceTestEnv('service-desk', { PORT: String(await freePort()) });
    const profileEnv = serviceTestEnv('profile', { PORT: String(await freePort()), KAFKA_TOPIC_PREFIX: env.KAFKA_TOPIC_PREFIX });
    profileDbName = profileEnv.MONGODB_DATABASE;
    kafka = testKafka();
    await ensureTopics(kafka, Object.values(TOPICS).map((t) => ({ topic: t })), { topicPrefix: env.KAFKA_TOPIC_PREFIX });
    [desk, profile] = await Promise.all([startService('service-desk', env), startService('profile', profileEnv)]);
    publisher = new EventPublisher(kafka, { topicPrefix: env.KAFKA_TOPIC_PREFIX });
    out = await new TopicReader(kafka, [topic(TOPICS.ticket), topic(TOPICS.profile), topic(TOPICS.deadLetter), topic(TOPICS.governance)]).start();
    db = await mongoose.createConnection(testServers().mongoUri, { dbName: env.MONGODB_DATABASE }).asPromise();
    profileDb = await mongoose.createConnection(testServers().mongoUri, { dbName: profileDbName }).asPromise();
    redis = new Redis(testServers().redisUrl, { maxRetriesPerRequest: null });
    await waitFor(async () => (await fetch(`${desk.url}/health`)).status === 200 && (await fetch(`${profile.url}/health`)).status === 200, 60_000, 'both healthy');
  }, 180_000);

  afterAll(async () => {
    if (process.env.SERVICE_DESK_TEST_DEBUG) console.log(desk?.output(), profile?.output());
    await Promise.all([desk?.stop(), profile?.stop()]);
    await out?.stop();
    await publisher?.disconnect();
    redis?.disconnect();
    for (const c of [db, profileDb]) {
      if (c?.name.startsWith('test_')) await c.dropDatabase();
      await c?.close();
    }
  });

  it('sends the survey on a consented channel, records the answer once, and the profile’s latestCsat shows it', async () => {
    // The bank's order is app push, SMS, WeChat…: the customer refused app push and consented to SMS.
    const customerId = await customerWith({ app_push: false, sms: true, email: true });
    const ticket = await resolvedComplaint(customerId);
    expect(ticket).toMatchObject({ status: 'RESOLVED', surveyRequested: true });
    await waitFor(async () => (await out.readToEnd(), ticketEvents(ticket.ticketId, 'SurveyRequested').length === 1), 60_000, 'SurveyRequested');
    expect(ticketEvents(ticket.ticketId, 'SurveyRequested')[0].payload).toEqual({ customerId, ticketId: ticket.ticketId, channel: 'sms', messageId: `srv-${ticket.ticketId}` });
    // The customer answers by SMS: CSAT 2, NPS 3 — twice (a resend of the reply); then a reopen and a second resolution send no second survey.
    const answer = interaction(customerId, { kind: 'SURVEY_RESPONSE', channel: 'SMS', ticketId: ticket.ticketId, csat: 2, nps: 3, messageId: `srv-${ticket.ticketId}` });
    await publisher.publishAll([answer, { ...answer, envelope: { ...answer.envelope, eventId: `${answer.envelope.eventId}-again` } }]);
    await waitFor(async () => (await out.readToEnd(), ticketEvents(ticket.ticketId, 'SatisfactionRecorded').length >= 1), 60_000, 'SatisfactionRecorded');
    expect((await patch(ticket.ticketId, { status: 'IN_PROGRESS', reason: 'still unhappy' })).status).toBe(200);
    expect((await patch(ticket.ticketId, { status: 'RESOLVED' })).body).toMatchObject({ surveyRequested: true, satisfaction: { csat: 2, nps: 3, interactionId: (answer.envelope.payload as InteractionRecorded).interactionId } });
    // Profile folds the answer: the customer's latestCsat and latestNps.
    await waitFor(
      async () => (await out.readToEnd(), out.json<EnvelopeInit<Doc>>(topic(TOPICS.profile)).some((e) => e.payload.customerId === customerId && e.payload.features?.latestCsat === 2)),
      90_000,
      'the profile’s latestCsat',
    );
    const latest = out.json<EnvelopeInit<Doc>>(topic(TOPICS.profile)).filter((e) => e.payload.customerId === customerId).at(-1)!;
    expect(latest.payload.features).toMatchObject({ latestCsat: 2, latestNps: 3 });
    await out.readToEnd();
    expect(ticketEvents(ticket.ticketId, 'SatisfactionRecorded').map((e) => e.payload)).toEqual([{ customerId, ticketId: ticket.ticketId, csat: 2, nps: 3 }]);
    expect(ticketEvents(ticket.ticketId, 'SurveyRequested')).toHaveLength(1);
    // Another answer (a second reply, CSAT 5) does not replace the first: it is refused, and says why.
    const second = interaction(customerId, { kind: 'SURVEY_RESPONSE', channel: 'SMS', ticketId: ticket.ticketId, csat: 5 });
    await publisher.publishAll([second]);
    const secondId = (second.envelope.payload as InteractionRecorded).interactionId;
    const dead = await waitFor(async () => (await out.readToEnd(), deadLettered().find((d) => d.raw.includes(secondId))), 60_000, 'the second answer dead-lettered');
    expect(dead.reason).toMatchObject({ code: 'REJECTED', field: 'ticketId', rule: 'isFirstAnswer' });
    expect((await db.collection('tickets').findOne({ _id: ticket.ticketId as never }))?.satisfaction).toMatchObject({ csat: 2, nps: 3 });
  }, 240_000);

  it('never surveys a customer on a channel they refused or opted out of since, nor one who consented to none', async () => {
    // Consented to SMS and email, then opted out of SMS (replying to a campaign's message): the survey goes by email.
    const optedOut = await customerWith({ sms: true, email: true });
    const stop = interaction(optedOut, { kind: 'CAMPAIGN_OPTED_OUT', channel: 'SMS', campaignId: 'CMP-1', messageId: 'MSG-1' });
    await publisher.publishAll([stop]);
    await waitFor(async () => (await db.collection('customer_opt_outs').findOne({ _id: optedOut as never }))?.channels.includes('sms'), 60_000, 'the opt-out kept');
    const byEmail = await resolvedComplaint(optedOut);
    await waitFor(async () => (await out.readToEnd(), ticketEvents(byEmail.ticketId, 'SurveyRequested').length === 1), 60_000, 'SurveyRequested');
    expect(ticketEvents(byEmail.ticketId, 'SurveyRequested')[0].payload.channel).toBe('email');
    const refusedAll = await customerWith({ app_push: false, sms: false, wechat: false, email: false, phone: false });
    const noConsent = await customerWith(undefined);
    for (const customerId of [refusedAll, noConsent]) {
      const ticket = await resolvedComplaint(customerId);
      expect(ticket).toMatchObject({ status: 'RESOLVED', surveyRequested: false });
    }
    await out.readToEnd();
    expect(out.json<EnvelopeInit<Doc>>(topic(TOPICS.ticket)).filter((e) => e.type === 'SurveyRequested' && [refusedAll, noConsent].includes(e.payload.customerId))).toEqual([]);
  }, 180_000);

  it('dead-letters an answer to no ticket, to another customer’s ticket, to a ticket that sent no survey, or with no score', async () => {
    const customerId = await customerWith({ sms: true });
    const other = await customerWith({ sms: true });
    const surveyed = await resolvedComplaint(customerId);
    const unsurveyed = await resolvedComplaint(await customerWith(undefined));
    const cases = [
      [interaction(customerId, { kind: 'SURVEY_RESPONSE', ticketId: 'TKT-none', csat: 5 }), 'ticketId', 'isKnownTicket'],
      [interaction(other, { kind: 'SURVEY_RESPONSE', ticketId: surveyed.ticketId, csat: 5 }), 'ticketId', 'isTicketOfCustomer'],
      [interaction(unsurveyed.customerId, { kind: 'SURVEY_RESPONSE', ticketId: unsurveyed.ticketId, csat: 5 }), 'ticketId', 'isSurveyedTicket'],
      [interaction(customerId, { kind: 'SURVEY_RESPONSE', ticketId: surveyed.ticketId }), 'csat', 'isDefined'],
      [interaction(customerId, { kind: 'SURVEY_RESPONSE', csat: 5 }), 'ticketId', 'isDefined'],
    ] as const;
    await publisher.publishAll(cases.map(([record]) => record));
    for (const [record, field, rule] of cases) {
      const id = (record.envelope.payload as InteractionRecorded).interactionId;
      const dead = await waitFor(async () => (await out.readToEnd(), deadLettered().find((d) => d.raw.includes(id))), 60_000, `${id} dead-lettered`);
      expect([id, dead.reason]).toEqual([id, expect.objectContaining({ code: 'REJECTED', field, rule })]);
    }
    expect((await db.collection('tickets').findOne({ _id: surveyed.ticketId as never }))?.satisfaction).toBeUndefined();
  }, 180_000);

  it('GET /v1/sla and /v1/agents/performance: the counters the tickets above moved, as they were written', async () => {
    const token = await signTestToken(env.JWT_SECRET, { roles: ['EXECUTIVE'], sub: 'cxo', branchId: 'HQ' });
    const read = async (path: string) => (await (await fetch(`${desk.url}${path}`, { headers: { authorization: `Bearer ${token}` } })).json()) as Doc;
    // Six complaints about the counter (柜台), answered and resolved in time by agent-7; one reopened (losing its first-contact resolution) and rated CSAT 2, NPS 3.
    const sla = await waitFor(async () => {
      const report = await read('/v1/sla');
      return report.byQueue?.[0]?.resolved === 6 ? report : undefined;
    }, 60_000, 'six resolutions counted');
    expect(sla.byQueue).toEqual([{ queue: 'GENERAL', priority: 'P2', responded: 6, firstResponseAttainment: 1, resolved: 6, resolutionAttainment: 1, averageHandlingMinutes: expect.any(Number), reopened: 1, csat: { average: 2, answers: 1 } }]);
    expect(sla.ticketsByCategory).toEqual({ COMPLAINT: 6 });
    expect(sla.topComplaintTopics).toEqual([{ ruleId: 'general.branch', phrase: '柜台', tickets: 6 }]);
    expect(await read('/v1/agents/performance')).toEqual([{ agentId: 'agent-7', resolved: 6, averageHandlingMinutes: expect.any(Number), firstContactResolutionRate: 0.833, csat: { average: 2, answers: 1 }, nps: { score: -100, answers: 1 } }]);
    const teller = await signTestToken(env.JWT_SECRET, { roles: ['TELLER'], sub: 't', branchId: 'BR001' });
    expect((await fetch(`${desk.url}/v1/sla`, { headers: { authorization: `Bearer ${teller}` } })).status).toBe(403);
  }, 120_000);
  /** GET /v1/tickets/{id} as a caller of these roles, subject and branch, for this purpose. */
  async function read(ticketId: string, roles: Role[], sub: string, branchId: string, purpose?: string) {
    const token = await signTestToken(env.JWT_SECRET, { roles, sub, branchId });
    const res = await fetch(`${desk.url}/v1/tickets/${ticketId}`, { headers: { authorization: `Bearer ${token}`, ...(purpose && { 'x-access-purpose': purpose }) } });
    return { status: res.status, body: (await res.json()) as Doc };
  }

  /** The interaction's ticket once it is opened and settled. */
  async function opened(message: { envelope: EnvelopeInit }): Promise<string> {
    const ticketId = ticketIdFor(SOURCE, (message.envelope.payload as InteractionRecorded).interactionId);
    await waitFor(async () => (await db.collection('tickets').findOne({ _id: ticketId as never }))?.outbox.length === 0, 60_000, `ticket ${ticketId} opened`);
    return ticketId;
  }

  it('shows the agent the customer’s tier, RM, tickets and interactions, within profile’s scope and masked by role; an erasure forgets what the customer said', async () => {
    // Branch BR001, RM RM007 (the core system's record, through profile); GOLD (segmentation's TierChanged).
    const customerId = await customerWith({ sms: true });
    const tier: TierChanged = { customerId, from: 'SILVER', to: 'GOLD', reason: 'AUM 600,000 CNY ≥ 500,000' };
    await publisher.publishAll([{ topic: TOPICS.segment, envelope: newEnvelope('TierChanged', tier, { eventId: `${customerId}-tier`, source: 'meridian-segmentation', customerId, occurredAt: new Date().toISOString() }) }]);
    await waitFor(async () => (await db.collection('customer_contexts').findOne({ _id: customerId as never }))?.tier === 'GOLD', 60_000, 'the tier kept');
    // A complaint asking to be called back on their phone, resolved; an app login; then a lost card, its number in the subject.
    const complaint = interaction(customerId, { kind: 'COMPLAINT', topic: '请回电 138-1234-5678', text: '柜台服务态度差，我要投诉' });
    await publisher.publishAll([complaint]);
    const first = await opened(complaint);
    expect((await patch(first, { status: 'IN_PROGRESS', assigneeId: 'agent-7' })).status).toBe(200);
    expect((await patch(first, { status: 'RESOLVED' })).status).toBe(200);
    const login = interaction(customerId, { kind: 'LOGIN', channel: 'APP' });
    await new Promise((r) => setTimeout(r, 5)); // a later instant: the context lists interactions newest first
    const loss = interaction(customerId, { kind: 'CARD_LOSS', topic: '卡号6222020200112233丢失', text: '我的信用卡丢了，要挂失' });
    await publisher.publishAll([login, loss]);
    const second = await opened(loss);
    const ids = (xs: Doc[]) => xs.map((x) => x.interactionId);
    const ixOf = (m: { envelope: EnvelopeInit }) => (m.envelope.payload as InteractionRecorded).interactionId;

    // A service desk agent of the call centre (another branch): any customer's ticket, masked.
    const agent = await read(second, ['SERVICE_AGENT'], 'agent-7', 'CC');
    expect(agent.status).toBe(200);
    expect(agent.body).toMatchObject({ ticketId: second, priority: 'P1', subject: '卡号62***********233丢失' });
    expect(agent.body.context).toMatchObject({ access: 'MASKED', customerStatus: 'ACTIVE', tier: 'GOLD', branchId: 'BR001', rmId: 'RM007', openTickets: [] });
    expect(agent.body.context.recentTickets).toEqual([expect.objectContaining({ ticketId: first, status: 'RESOLVED', category: 'COMPLAINT', subject: '请回电 1**-****-**78', topic: 'general.branch' })]);
    expect(ids(agent.body.context.recentInteractions)).toEqual([ixOf(loss), ixOf(login), ixOf(complaint)]);
    expect(agent.body.context.recentInteractions[0]).toEqual({ interactionId: ixOf(loss), kind: 'CARD_LOSS', channel: 'CALL_CENTER', occurredAt: expect.any(String), topic: '卡号62***********233丢失' });
    expect(JSON.stringify(agent.body)).not.toContain('挂失');

    // Their own RM sees it in clear, and the read is announced; the branch manager too; a teller of the branch, masked.
    const rm = await read(second, ['RM'], 'RM007', 'BR001', 'calling back about the lost card');
    expect(rm.body).toMatchObject({ subject: '卡号6222020200112233丢失', context: { access: 'FULL' } });
    expect(rm.body.context.recentTickets[0].subject).toBe('请回电 138-1234-5678');
    const audit = await waitFor(async () => (await out.readToEnd(), out.json<EnvelopeInit<Doc>>(topic(TOPICS.governance)).find((e) => e.type === 'PiiAccessed' && e.payload.customerId === customerId)), 30_000, 'PiiAccessed');
    expect(audit).toMatchObject({ source: 'meridian-service-desk', payload: { actor: 'RM007', roles: ['RM'], customerId, fields: ['subject', 'interactions.topic'], purpose: 'calling back about the lost card' } });
    expect((await read(second, ['BRANCH_MANAGER'], 'bm-1', 'BR001')).body.context.access).toBe('FULL');
    expect((await read(second, ['TELLER'], 't-1', 'BR001')).body).toMatchObject({ subject: '卡号62***********233丢失', context: { access: 'MASKED' } });
    // Outside the scope: another RM, another branch's teller and manager; and roles that see no single customer.
    for (const [roles, sub, branchId] of [[['RM'], 'RM999', 'BR001'], [['TELLER'], 't-2', 'BR002'], [['BRANCH_MANAGER'], 'bm-2', 'BR002'], [['EXECUTIVE'], 'cxo', 'HQ'], [['MARKETING'], 'mk', 'HQ']] as Array<[Role[], string, string]>) {
      expect({ roles, status: (await read(second, roles, sub, branchId)).status }).toEqual({ roles, status: 403 });
    }
    await out.readToEnd();
    // Masked reads announce nothing: the RM's and the branch manager's are the only ones.
    expect(out.json<EnvelopeInit<Doc>>(topic(TOPICS.governance)).filter((e) => e.type === 'PiiAccessed' && e.payload.customerId === customerId).map((e) => e.payload.actor)).toEqual(['RM007', 'bm-1']);

    const interactionsKey = `${env.MONGODB_DATABASE}:sd:cust:${customerId}:ix`;
    expect(await redis.exists(interactionsKey)).toBe(1);
    // PIPL erasure at profile: CustomerErased reaches the desk, which forgets the subjects and interactions, and keeps none that come late.
    const adminToken = await signTestToken(env.JWT_SECRET, { roles: ['ADMIN'], sub: 'dpo', branchId: 'HQ' });
    const erased = await fetch(`${profile.url}/v1/customers/${customerId}/erasure`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` }, body: JSON.stringify({ reason: 'PIPL deletion request' }) });
    expect(erased.status).toBe(200);
    // Every one of the customer's tickets loses its subject (the pass that works pending erasures), and their interactions are gone from Redis.
    const subjects = async () => (await db.collection('tickets').find({ customerId }).toArray()).map((d) => d.subject).filter((x) => x !== undefined);
    await waitFor(async () => (await subjects()).length === 0, 60_000, 'every subject cleared');
    await waitFor(async () => (await redis.exists(interactionsKey)) === 0, 30_000, 'the interactions forgotten');
    const gone = (await read(second, ['ADMIN'], 'dpo', 'HQ')).body;
    expect(gone).toMatchObject({ category: 'CARD_LOSS', queue: 'CARDS', status: 'NEW', context: { customerStatus: 'ERASED', recentInteractions: [] } });
    expect(gone.subject).toBeUndefined();
    expect(gone.context.tier).toBeUndefined();
    expect(gone.context.recentTickets).toEqual([expect.objectContaining({ ticketId: first, status: 'RESOLVED' })]);
    expect(gone.context.recentTickets[0].subject).toBeUndefined();
    // What comes later keeps nothing: a redelivered interaction, and a new complaint with a phone number in it.
    const late = interaction(customerId, { kind: 'COMPLAINT', topic: '再次投诉 138-1234-5678' });
    await publisher.publishAll([login, late]);
    const third = await opened(late);
    const after = await read(third, ['ADMIN'], 'dpo', 'HQ');
    expect(after.body.subject).toBeUndefined();
    expect(after.body.context).toMatchObject({ customerStatus: 'ERASED', recentInteractions: [] });
    expect(after.body.context.openTickets.map((t: Doc) => t.ticketId)).toEqual([second]);
    expect(await redis.exists(interactionsKey)).toBe(0);
    expect(JSON.stringify(await db.collection('tickets').find({ customerId }).toArray())).not.toMatch(/6222|138-1234|请回电|再次投诉/);
    // On the bus, a subject goes out masked (crm.ticket.v1 is read by every service and kept for days); after the erasure, none.
    await out.readToEnd();
    expect(ticketEvents(second, 'TicketOpened')[0].payload.subject).toBe('卡号62***********233丢失');
    expect(ticketEvents(third, 'TicketOpened')[0].payload).not.toHaveProperty('subject');
  }, 240_000);
});

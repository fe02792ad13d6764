import { EnvelopeInit, InteractionKind, InteractionRecorded, Role, TOPICS, TicketEscalated } from '@meridian/events';
import { EventPublisher, ensureTopics, newEnvelope } from '@meridian/events/kafka';
import { ServiceProcess, TopicReader, freePort, serviceTestEnv, signTestToken, startService, testKafka, testServers, uniqueName, waitFor } from '@meridian/shared/testing';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { Kafka } from 'kafkajs';
import mongoose, { Connection } from 'mongoose';
import { ticketIdFor } from './tickets/application/ticket-id';
import { SLA_STAGE_QUEUE, slaStageJobId } from './tickets/infrastructure/sla-stage-queue';

type Ticket = Record<string, any>;
const SECOND = 1000;

/**
 * Issue 11, points 3 and 5: tickets moved along by PATCH and by their SLA stage jobs, with
 * service-desk as a real process against real Kafka, the MongoDB-wire server and Redis
 * (BullMQ). P1's targets are set short (1 min first response, 2 min resolution, around the
 * clock), and tickets are opened in the past — an interaction's time is when the customer got
 * in touch — so each stage falls due seconds into a test; every check is on the instants the
 * service recorded, never on how long something took.
 */
describe('service-desk ticket transitions and SLA timers (real Kafka, MongoDB-wire server, Redis and BullMQ)', () => {
  let env: Record<string, string>;
  let kafka: Kafka;
  let service: ServiceProcess;
  let publisher: EventPublisher;
  let out: TopicReader;
  let db: Connection;
  let redis: Redis;
  let jobs: Queue;
  const SOURCE = 'CALLCENTER';
  const topic = (t: string) => `${env.KAFKA_TOPIC_PREFIX}${t}`;

  /** A card loss (P1) the customer reported `agoMs` before now (or another kind, about what `text` says). */
  async function cardLoss(agoMs: number, kind: InteractionKind = 'CARD_LOSS', text = '银行卡丢了，要挂失'): Promise<{ ticketId: string; openedAt: number; customerId: string }> {
    const customerId = uniqueName('C');
    const interactionId = uniqueName('ix');
    const occurredAt = new Date(Date.now() - agoMs).toISOString();
    const payload: InteractionRecorded = { sourceSystem: SOURCE, sourceCustomerId: `S-${customerId}`, interactionId, channel: 'CALL_CENTER', kind, text };
    await publisher.publishAll([{ topic: TOPICS.interaction, envelope: newEnvelope('InteractionRecorded', payload, { eventId: `ix-${interactionId}`, source: 'meridian-ingest', customerId, occurredAt }) }]);
    const ticketId = ticketIdFor(SOURCE, interactionId);
    await waitFor(async () => (await ticketDoc(ticketId))?.outbox.length === 0, 60_000, `ticket ${ticketId} opened`);
    return { ticketId, openedAt: Date.parse(occurredAt), customerId };
  }

  const ticketDoc = (ticketId: string) => db.collection('tickets').findOne({ _id: ticketId as never }) as Promise<Ticket | null>;
  const events = <P = Record<string, unknown>>(ticketId: string, type?: string) =>
    out.json<EnvelopeInit<P & { ticketId: string }>>(topic(TOPICS.ticket)).filter((e) => e.payload.ticketId === ticketId && (!type || e.type === type));
  const escalations = (ticketId: string) => events<TicketEscalated>(ticketId, 'TicketEscalated');
  const untilEscalated = (ticketId: string, n: number) => waitFor(async () => (await out.readToEnd(), escalations(ticketId).length >= n), 120_000, `${n} escalations of ${ticketId}`);

  async function patch(ticketId: string, body: unknown, roles: Role[] = ['SERVICE_AGENT'], sub = 'agent-7') {
    const token = await signTestToken(env.JWT_SECRET, { roles, sub, branchId: 'BR001' });
    const res = await fetch(`${service.url}/v1/tickets/${encodeURIComponent(ticketId)}`, { method: 'PATCH', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Ticket };
  }

  /** The state of each stage job (FIRST_RESPONSE then RESOLUTION: WARN, BREACH, BREACH_2X), 'unknown' for none. */
  async function list(query: string, roles: Role[] = ['SERVICE_AGENT']) {
    const token = await signTestToken(env.JWT_SECRET, { roles, sub: 'agent-7', branchId: 'BR001' });
    const res = await fetch(`${service.url}/v1/tickets?${query}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as Ticket };
  }

  /**
   * The state of each stage job (FIRST_RESPONSE then RESOLUTION: WARN, BREACH, BREACH_2X), 'unknown' for none, of the clocks'
   * runs in `doc` (jobs belong to a run of the clock: pass the ticket as it was while they ran).
   */
  const stageJobs = async (ticketId: string, doc?: Ticket | null) => {
    const runs = (doc ?? (await ticketDoc(ticketId)))!.clocks;
    return Promise.all((['FIRST_RESPONSE', 'RESOLUTION'] as const).flatMap((timer) => (['WARN', 'BREACH', 'BREACH_2X'] as const).map((stage) => jobs.getJobState(slaStageJobId(ticketId, timer, stage, runs[timer].runningSince)))));
  };
  const NONE = 'unknown';

  beforeAll(async () => {
    env = serviceTestEnv('service-desk', { PORT: String(await freePort()), SERVICE_DESK_SLA_P1_MINUTES: '1,2', SERVICE_DESK_SETTLE_EVERY_SECONDS: '2', SERVICE_DESK_ASSIGN_EVERY_SECONDS: '1' });
    kafka = testKafka();
    await ensureTopics(kafka, Object.values(TOPICS).map((t) => ({ topic: t })), { topicPrefix: env.KAFKA_TOPIC_PREFIX });
    service = await startService('service-desk', env);
    publisher = new EventPublisher(kafka, { topicPrefix: env.KAFKA_TOPIC_PREFIX });
    out = await new TopicReader(kafka, [topic(TOPICS.ticket)]).start();
    db = await mongoose.createConnection(testServers().mongoUri, { dbName: env.MONGODB_DATABASE }).asPromise();
    redis = new Redis(testServers().redisUrl, { maxRetriesPerRequest: null });
    jobs = new Queue(SLA_STAGE_QUEUE, { connection: redis, prefix: `${env.MONGODB_DATABASE}:bull` });
    await waitFor(async () => (await fetch(`${service.url}/health`)).status === 200, 60_000, 'service-desk healthy');
  }, 120_000);

  afterAll(async () => {
    if (process.env.SERVICE_DESK_TEST_DEBUG) console.log(service?.output());
    await service?.stop();
    await out?.stop();
    await publisher?.disconnect();
    await jobs?.obliterate({ force: true }).catch(() => undefined);
    await jobs?.close();
    redis?.disconnect();
    if (db?.name.startsWith('test_')) await db.dropDatabase();
    await db?.close();
  });

  it('warns at 80 %, escalates to level 1 at the breach and to level 2 at twice the target, each once, dated when it fell due', async () => {
    // Reported 115 s ago: first response's warning (48 s) and breach (60 s) are due at once, its 2× (120 s) and resolution's breach (120 s) in seconds.
    const { ticketId, openedAt } = await cardLoss(115 * SECOND);
    await untilEscalated(ticketId, 3);
    const seen = escalations(ticketId).map((e) => [e.payload.level, e.payload.reason, Date.parse(e.occurredAt) - openedAt]);
    expect(seen.sort()).toEqual([
      [1, 'P1 first response target of 1 min breached', 60 * SECOND],
      [1, 'P1 resolution target of 2 min breached', 120 * SECOND],
      [2, 'P1 first response target of 1 min breached twice over', 120 * SECOND],
    ]);
    const doc = (await ticketDoc(ticketId)) as Ticket;
    expect(doc.clocks.FIRST_RESPONSE.reached).toEqual(['WARN', 'BREACH', 'BREACH_2X']);
    expect(doc.clocks.RESOLUTION.reached).toEqual(expect.arrayContaining(['WARN', 'BREACH']));
    expect(doc.history.filter((s: Ticket) => s.command === 'SLA_STAGE_REACHED').map((s: Ticket) => s.detail)).toEqual(expect.arrayContaining(['FIRST_RESPONSE:WARN', 'FIRST_RESPONSE:BREACH', 'FIRST_RESPONSE:BREACH_2X', 'RESOLUTION:WARN', 'RESOLUTION:BREACH']));
    // Resolution's 2× (240 s) is still waiting in BullMQ; the stages reached have no job left.
    const [, , frTwice, , , resTwice] = await stageJobs(ticketId);
    expect([frTwice, resTwice]).toEqual([NONE, 'delayed']);
  }, 180_000);

  it('a ticket answered and resolved in time fires nothing: its jobs are removed', async () => {
    // A's breach would fall due 10 s from now, B's 15 s: once B's escalation is out, A's would have been too.
    const a = await cardLoss(50 * SECOND);
    const b = await cardLoss(45 * SECOND);
    const running = await ticketDoc(a.ticketId);
    expect((await patch(a.ticketId, { status: 'IN_PROGRESS', assigneeId: 'agent-7' })).status).toBe(200);
    expect((await stageJobs(a.ticketId, running)).slice(0, 3)).toEqual([NONE, NONE, NONE]);
    const resolved = await patch(a.ticketId, { status: 'RESOLVED', resolution: 'card blocked and reissued' });
    expect(resolved.body).toMatchObject({ status: 'RESOLVED', clocks: { FIRST_RESPONSE: { status: 'STOPPED' }, RESOLUTION: { status: 'STOPPED' } } });
    expect(await stageJobs(a.ticketId, running)).toEqual([NONE, NONE, NONE, NONE, NONE, NONE]);
    await untilEscalated(b.ticketId, 1);
    expect(escalations(a.ticketId)).toEqual([]);
    expect((await ticketDoc(a.ticketId))?.clocks.FIRST_RESPONSE.reached).toEqual(['WARN']);
  }, 180_000);

  it('PENDING_CUSTOMER pauses the resolution clock: the breach comes later by exactly the pause', async () => {
    // Reported 100 s ago: resolution breaches at 120 s of running time, unless paused.
    const { ticketId, openedAt } = await cardLoss(100 * SECOND);
    expect((await patch(ticketId, { status: 'IN_PROGRESS', assigneeId: 'agent-7' })).status).toBe(200);
    const running = await ticketDoc(ticketId);
    const paused = await patch(ticketId, { status: 'PENDING_CUSTOMER' });
    // The warning (96 s) fell due before the pause: reached, by its job or by the pause catching up on it.
    expect(paused.body.clocks.RESOLUTION).toMatchObject({ status: 'PAUSED', reached: ['WARN'] });
    expect((await stageJobs(ticketId, running)).slice(4)).toEqual([NONE, NONE]);
    await new Promise((resolve) => setTimeout(resolve, 25 * SECOND)); // past the unpaused breach (120 s)
    await out.readToEnd();
    expect(escalations(ticketId).filter((e) => e.payload.reason.includes('resolution'))).toEqual([]);
    const replied = await patch(ticketId, { status: 'IN_PROGRESS' });
    expect(replied.body.clocks.RESOLUTION.status).toBe('RUNNING');
    const steps = replied.body.history as Array<{ at: string; command: string }>;
    const pauseMs = Date.parse(steps.find((s) => s.command === 'CUSTOMER_REPLIED')!.at) - Date.parse(steps.find((s) => s.command === 'AWAIT_CUSTOMER')!.at);
    await waitFor(async () => (await out.readToEnd(), escalations(ticketId).some((e) => e.payload.reason.includes('resolution'))), 120_000, 'the resolution breach');
    const breach = escalations(ticketId).find((e) => e.payload.reason.includes('resolution'))!;
    expect(Date.parse(breach.occurredAt) - openedAt).toBe(120 * SECOND + pauseMs);
  }, 240_000);

  it('moves a ticket by PATCH, each step recorded with who and when and published; the same PATCH again changes nothing; 409 names the statuses it can reach', async () => {
    const { ticketId, customerId } = await cardLoss(0, 'DISPUTE');
    const refused = await patch(ticketId, { status: 'RESOLVED' });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ currentStatus: 'NEW', allowed: ['ASSIGNED'], refusal: 'NOT_ALLOWED_IN_STATUS' });
    const assigned = await patch(ticketId, { assigneeId: 'agent-7' }, ['ADMIN'], 'supervisor-1');
    expect(assigned.body).toMatchObject({ status: 'ASSIGNED', assigneeId: 'agent-7' });
    expect((await patch(ticketId, { status: 'IN_PROGRESS' })).body.status).toBe('IN_PROGRESS');
    const again = await patch(ticketId, { status: 'IN_PROGRESS' });
    expect(again.status).toBe(200);
    expect((await patch(ticketId, { status: 'CLOSED' })).body).toMatchObject({ currentStatus: 'IN_PROGRESS', allowed: ['PENDING_CUSTOMER', 'RESOLVED'] });
    await patch(ticketId, { status: 'RESOLVED', resolution: 'chargeback raised' });
    const reopened = await patch(ticketId, { status: 'IN_PROGRESS', reason: 'charged again' });
    expect(reopened.body).toMatchObject({ status: 'IN_PROGRESS', reopenedCount: 1, clocks: { RESOLUTION: { status: 'RUNNING' }, FIRST_RESPONSE: { status: 'STOPPED' } } });
    await patch(ticketId, { status: 'RESOLVED' });
    const closed = await patch(ticketId, { status: 'CLOSED' });
    expect(closed.body.history.filter((s: Ticket) => s.command !== 'SLA_STAGE_REACHED').map((s: Ticket) => [s.command, s.by, s.from, s.to])).toEqual([
      ['ASSIGN', 'supervisor-1', 'NEW', 'ASSIGNED'],
      ['START', 'agent-7', 'ASSIGNED', 'IN_PROGRESS'],
      ['RESOLVE', 'agent-7', 'IN_PROGRESS', 'RESOLVED'],
      ['REOPEN', 'agent-7', 'RESOLVED', 'IN_PROGRESS'],
      ['RESOLVE', 'agent-7', 'IN_PROGRESS', 'RESOLVED'],
      ['CLOSE', 'agent-7', 'RESOLVED', 'CLOSED'],
    ]);
    expect((await patch(ticketId, { status: 'IN_PROGRESS' })).body).toMatchObject({ currentStatus: 'CLOSED', allowed: [] });
    await waitFor(async () => (await out.readToEnd(), events(ticketId, 'TicketClosed').length === 1), 60_000, 'TicketClosed');
    expect(events(ticketId).filter((e) => e.type !== 'TicketEscalated').map((e) => [e.type, e.payload.by ?? e.payload.reason ?? e.payload.resolution ?? ''])).toEqual([
      ['TicketOpened', ''],
      ['TicketStatusChanged', 'supervisor-1'],
      ['TicketAssigned', 'supervisor-1'],
      ['TicketStatusChanged', 'agent-7'],
      ['TicketStatusChanged', 'agent-7'],
      ['TicketResolved', 'chargeback raised'],
      ['TicketStatusChanged', 'agent-7'],
      ['TicketReopened', 'charged again'],
      ['TicketStatusChanged', 'agent-7'],
      ['TicketResolved', ''],
      ['TicketStatusChanged', 'agent-7'],
      ['TicketClosed', ''],
    ]);
    expect(new Set(events(ticketId).map((e) => e.eventId)).size).toBe(events(ticketId).length);
    expect(events(ticketId).every((e) => e.customerId === customerId)).toBe(true);
  }, 120_000);

  it('answers 400 naming the field, 404 for no ticket, 403 to roles that do not handle tickets', async () => {
    const { ticketId } = await cardLoss(0, 'INQUIRY');
    const cases: Array<[unknown, string]> = [
      [{}, 'status'],
      [{ status: 'ASSIGNED' }, 'assigneeId'],
      [{ status: 'DONE' }, 'status'],
      [{ assigneeId: 'has spaces' }, 'assigneeId'],
      [{ queue: 'TRAVEL', assigneeId: 'agent-1' }, 'queue'],
      // Published events carry no empty text: an empty resolution or reason is refused, not sent.
      [{ status: 'RESOLVED', resolution: '' }, 'resolution'],
      [{ status: 'IN_PROGRESS', reason: '' }, 'reason'],
    ];
    for (const [body, field] of cases) {
      const answer = await patch(ticketId, body);
      expect([answer.status, answer.body.errors?.[0]?.field]).toEqual([400, field]);
    }
    expect((await patch('TKT-none', { status: 'CLOSED' })).status).toBe(404);
    for (const roles of [['TELLER'], ['RM'], ['MARKETING']] as Role[][]) expect((await patch(ticketId, { assigneeId: 'agent-1' }, roles)).status).toBe(403);
  }, 120_000);

  it('GET /v1/tickets: a queue’s work list by status, priority and breach, P1 first and oldest first, paged without a ticket twice or missed', async () => {
    const MIN = 60 * SECOND;
    // LOANS holds only this test's tickets: three inquiries (P3) and a complaint (P2), and a complaint fifteen days old (breached, whatever holidays came between).
    const p3 = [await cardLoss(3 * MIN, 'INQUIRY', 'What is the mortgage rate?'), await cardLoss(2 * MIN, 'INQUIRY', 'mortgage rate please'), await cardLoss(1 * MIN, 'INQUIRY', 'mortgage question')];
    const p2 = await cardLoss(5 * MIN, 'COMPLAINT', '房贷利率太高，我要投诉');
    const old = await cardLoss(15 * 24 * 60 * MIN, 'COMPLAINT', '房贷审批太慢，我要投诉');
    await untilEscalated(old.ticketId, 2);
    const ids = (page: Ticket) => page.tickets.map((t: Ticket) => t.ticketId);
    const all = await list('queue=LOANS');
    expect(all.status).toBe(200);
    expect([ids(all.body), all.body.total]).toEqual([[old.ticketId, p2.ticketId, ...p3.map((t) => t.ticketId)], 5]);
    expect(all.body.tickets[0]).toMatchObject({ queue: 'LOANS', priority: 'P2', status: 'NEW' });
    // Two at a time, following `next`: every ticket once, in the same order.
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await list(`queue=LOANS&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      paged.push(...ids(page.body));
      cursor = page.body.next;
    } while (cursor);
    expect(paged).toEqual(ids(all.body));
    expect(ids((await list('queue=LOANS&breached=true')).body)).toEqual([old.ticketId]);
    expect(ids((await list('queue=LOANS&breached=false&priority=P3')).body)).toEqual(p3.map((t) => t.ticketId));
    // A ticket moves between lists as it is worked.
    await patch(p3[1].ticketId, { status: 'IN_PROGRESS', assigneeId: 'agent-7' });
    expect(ids((await list('queue=LOANS&status=IN_PROGRESS')).body)).toEqual([p3[1].ticketId]);
    expect((await list('queue=LOANS&status=NEW,ASSIGNED')).body.total).toBe(4);
    await patch(p3[1].ticketId, { queue: 'WEALTH' });
    expect(ids((await list('queue=WEALTH,LOANS&status=IN_PROGRESS')).body)).toEqual([p3[1].ticketId]);
    expect((await list('queue=LOANS&status=IN_PROGRESS')).body.total).toBe(0);
    for (const [query, field] of [['queue=TRAVEL', 'queue'], ['status=DONE', 'status'], ['limit=0', 'limit'], ['cursor=bm9wZQ', 'cursor'], ['breached=maybe', 'breached']]) {
      const answer = await list(query);
      expect([query, answer.status, answer.body.errors?.[0]?.field]).toEqual([query, 400, field]);
    }
    expect((await list('queue=LOANS', ['TELLER'])).status).toBe(403);
  }, 240_000);

  it('hands NEW tickets to the least-loaded agent of their queue with room, P1 first then oldest, and the rest to whoever frees up', async () => {
    const MIN = 60 * SECOND;
    // DEPOSITS holds only this test's tickets, opened before any agent serves the queue: three inquiries (P3) and a complaint (P2).
    const p3 = [await cardLoss(4 * MIN, 'INQUIRY', '定期存款利率是多少'), await cardLoss(3 * MIN, 'INQUIRY', '大额存单怎么买'), await cardLoss(2 * MIN, 'INQUIRY', '活期存款')];
    const p2 = await cardLoss(1 * MIN, 'COMPLAINT', '存款被乱扣费，我要投诉');
    const admin = await signTestToken(env.JWT_SECRET, { roles: ['ADMIN'], sub: 'desk-admin', branchId: 'HQ' });
    const put = async (agentId: string, body: unknown, token = admin) => {
      const res = await fetch(`${service.url}/v1/agents/${agentId}`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as Ticket };
    };
    expect((await put('dep-off', { queues: ['DEPOSITS'], capacity: 5, available: false })).status).toBe(200);
    expect((await put('dep-b', { queues: ['DEPOSITS'], capacity: 1, available: true })).status).toBe(200);
    expect((await put('dep-a', { queues: ['DEPOSITS', 'GENERAL'], capacity: 2, available: true })).status).toBe(200);
    const agents = async () => {
      const token = await signTestToken(env.JWT_SECRET, { roles: ['SERVICE_AGENT'], sub: 'agent-7', branchId: 'BR001' });
      const list = (await (await fetch(`${service.url}/v1/agents`, { headers: { authorization: `Bearer ${token}` } })).json()) as Ticket[];
      return Object.fromEntries(list.map((a) => [a.agentId, a.openTickets]));
    };
    await waitFor(async () => JSON.stringify(await agents()) === JSON.stringify({ 'dep-a': 2, 'dep-b': 1, 'dep-off': 0 }), 60_000, 'three tickets assigned within capacity');
    await new Promise((resolve) => setTimeout(resolve, 3 * SECOND)); // more runs: none may go over capacity
    const docs = await Promise.all([p2, ...p3].map((t) => ticketDoc(t.ticketId)));
    // The complaint (P2) first, then the inquiries oldest first: the youngest waits.
    expect(docs.map((d) => d?.status)).toEqual(['ASSIGNED', 'ASSIGNED', 'ASSIGNED', 'NEW']);
    expect(docs.slice(0, 3).map((d) => d?.assigneeId).sort()).toEqual(['dep-a', 'dep-a', 'dep-b']);
    expect(await agents()).toEqual({ 'dep-a': 2, 'dep-b': 1, 'dep-off': 0 });
    // dep-b resolves theirs: the waiting ticket goes to them.
    const mine = docs.find((d) => d?.assigneeId === 'dep-b') as Ticket;
    const b = await signTestToken(env.JWT_SECRET, { roles: ['SERVICE_AGENT'], sub: 'dep-b', branchId: 'BR001' });
    await patch(mine._id, { status: 'IN_PROGRESS' }, ['SERVICE_AGENT'], 'dep-b');
    expect((await patch(mine._id, { status: 'RESOLVED' }, ['SERVICE_AGENT'], 'dep-b')).body.status).toBe('RESOLVED');
    await waitFor(async () => (await ticketDoc(p3[2].ticketId))?.assigneeId === 'dep-b', 60_000, 'the waiting ticket assigned when dep-b freed up');
    await out.readToEnd();
    expect(events(p3[2].ticketId, 'TicketAssigned').map((e) => e.payload)).toEqual([expect.objectContaining({ assigneeId: 'dep-b', queue: 'DEPOSITS' })]);
    expect(events(p3[2].ticketId, 'TicketAssigned')[0].payload).not.toHaveProperty('by');
    // Only ADMIN keeps the roster; a roster entry is checked field by field.
    expect((await put('dep-x', { queues: ['DEPOSITS'], capacity: 1, available: true }, b)).status).toBe(403);
    for (const [body, field] of [[{ queues: [], capacity: 1, available: true }, 'queues'], [{ queues: ['TRAVEL'], capacity: 1, available: true }, 'queues'], [{ queues: ['DEPOSITS'], capacity: -1, available: true }, 'capacity'], [{ queues: ['DEPOSITS'], capacity: 1 }, 'available']] as const) {
      const answer = await put('dep-x', body);
      expect([answer.status, answer.body.errors?.[0]?.field]).toEqual([400, field]);
    }
    expect((await put('has%20space', { queues: ['DEPOSITS'], capacity: 1, available: true })).body.errors?.[0]?.field).toBe('agentId');
  }, 240_000);

  it('the settle job sends what a crash left unsent: the events and the SLA jobs of a ticket nobody touches again', async () => {
    const { ticketId } = await cardLoss(0, 'COMPLAINT');
    await out.readToEnd();
    const [opened] = events(ticketId, 'TicketOpened');
    const doc = (await ticketDoc(ticketId)) as Ticket;
    const twiceId = slaStageJobId(ticketId, 'RESOLUTION', 'BREACH_2X', doc.clocks.RESOLUTION.runningSince);
    await jobs.remove(twiceId);
    // As if the process died after a write: an event in the outbox, a job to set, the ticket marked a minute ago.
    const lost = { ...opened, eventId: `${opened.eventId}-crashed` };
    const timers = [{ kind: 'SCHEDULE', timer: 'RESOLUTION', stage: 'BREACH_2X', fraction: 2, targetMinutes: 1440, basis: 'QUEUE_CALENDAR', clock: { runningSince: doc.clocks.RESOLUTION.runningSince, spans: [] }, escalateTo: { queue: doc.queue } }];
    await db.collection('tickets').updateOne({ _id: ticketId as never }, { $set: { outbox: [lost], timers } });
    await redis.zadd(`${env.MONGODB_DATABASE}:sd:unsettled`, Date.now() - 60 * SECOND, ticketId);
    await waitFor(async () => (await out.readToEnd(), events(ticketId).some((e) => e.eventId === lost.eventId)), 60_000, 'the lost event sent');
    await waitFor(async () => (await ticketDoc(ticketId))?.timers.length === 0, 60_000, 'the ticket settled');
    expect(await jobs.getJobState(twiceId)).toBe('delayed');
    expect(await redis.zscore(`${env.MONGODB_DATABASE}:sd:unsettled`, ticketId)).toBeNull();
    expect((await ticketDoc(ticketId))?.rev).toBe(doc.rev);
  }, 120_000);

  it('a stage job survives a restart of the service: the breach due while it was down is escalated when it is back', async () => {
    const { ticketId, openedAt } = await cardLoss(50 * SECOND);
    expect((await stageJobs(ticketId))[1]).toBe('delayed');
    await service.stop();
    await out.readToEnd();
    expect(escalations(ticketId)).toEqual([]);
    await waitFor(() => Date.now() > openedAt + 62 * SECOND, 30_000, 'the breach due while the service is down');
    service = await startService('service-desk', env);
    await untilEscalated(ticketId, 1);
    expect(escalations(ticketId).map((e) => [e.payload.level, Date.parse(e.occurredAt) - openedAt])).toEqual([[1, 60 * SECOND]]);
  }, 180_000);
});

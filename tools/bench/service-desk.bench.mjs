/**
 * `npm run bench -- service-desk` (issue 11): the service desk next to ceilings measured in the
 * same run.
 *
 * 1. Intake: interactions of ticket kinds → TicketOpened (each ticket classified, stored, its six
 *    SLA stage jobs added to BullMQ, its work list and report counters moved), tickets/s, next to
 *    a raw bulk insert of the same ticket documents and a raw BullMQ addBulk of as many delayed jobs.
 * 2. SLA stages: card losses reported 31 minutes ago, whose first-response stages are all due at
 *    once: escalations/s (level 1 and 2), next to a raw BullMQ worker processing as many no-op jobs.
 * 3. Work lists and the agent's context view at scale: BENCH_TICKETS tickets (default 100,000;
 *    five a customer) seeded straight into MongoDB and into the work lists and customer indexes in
 *    the service's key format (not through intake: that is phase 1's figure), then
 *    GET /v1/tickets?queue=…&status=… p50/p99, next to the same reads done raw (one ZRANGEBYLEX
 *    per list, a findOne by _id per ticket of the page); and GET /v1/tickets/{id} with the
 *    customer's context, next to its reads done raw.
 *
 *   BENCH_N        interactions in phase 1            (default 3,000)
 *   BENCH_SLA      backdated card losses in phase 2   (default 500)
 *   BENCH_TICKETS  tickets in phase 3                 (default 100,000)
 *   BENCH_PROBES   GET requests timed in phase 3      (default 200)
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { SERVICE_NODE_OPTIONS, consumeCount, kafkaFor, log, produceAll, quantile, root, servers, startService } from './lib.mjs';

const require = createRequire(import.meta.url);
const mongoose = require('mongoose');
const Redis = require('ioredis');
const { Queue, Worker } = require('bullmq');
const { newEnvelope } = require(path.join(root, 'libs/events/dist/kafka/index.js'));

const N = Number(process.env.BENCH_N ?? 3_000);
const SLA = Number(process.env.BENCH_SLA ?? 500);
const TICKETS = Number(process.env.BENCH_TICKETS ?? 100_000);
const PROBES = Number(process.env.BENCH_PROBES ?? 200);
const env = servers();
const seconds = (from) => Number(process.hrtime.bigint() - from) / 1e9;
const pause = (ms) => new Promise((r) => setTimeout(r, ms));

const CALLS = [
  ['CARD_LOSS', '我的借记卡丢了，请马上帮我挂失'],
  ['COMPLAINT', '手机银行转账失败，钱扣了还没到账，我要投诉'],
  ['INQUIRY', 'There is an unauthorised charge on my credit card'],
  ['COMPLAINT', '理财产品赎回太慢了'],
  ['SERVICE_REQUEST', 'Please change my address, I have moved'],
  ['INQUIRY', '房贷利率是多少'],
];

function interaction(i, occurredAt, kind, text) {
  const customerId = `SDB${String(i % 50_000).padStart(6, '0')}`;
  const payload = { sourceSystem: 'bench-cc', sourceCustomerId: `CB-${i}`, interactionId: `IX-${occurredAt.slice(0, 13)}-${i}`, channel: 'CALL_CENTER', kind, text };
  return { topic: 'crm.interaction.v1', key: customerId, envelope: newEnvelope('InteractionRecorded', payload, { eventId: `sdb-${kind}-${i}-${occurredAt}`, source: 'bench', customerId, occurredAt }) };
}

log(`service-desk runs with NODE_OPTIONS="${SERVICE_NODE_OPTIONS}"; node ${process.version}; servers ${env.KAFKA_BROKERS} ${env.MONGODB_URI} ${env.REDIS_URL}`);
const svc = await startService(env, 'service-desk', 'desk', ['SERVICE_AGENT']);
const kafka = kafkaFor(env.KAFKA_BROKERS, 'service-desk-bench');
const opened = new Set();
const escalated = [];
const reader = await consumeCount(kafka, [`${svc.prefix}crm.ticket.v1`], Number.MAX_SAFE_INTEGER, (m) => {
  const e = JSON.parse(m.value.toString());
  if (e.type === 'TicketOpened') opened.add(e.payload.ticketId);
  if (e.type === 'TicketEscalated') escalated.push(e.payload.ticketId);
});
const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null });
const conn = await mongoose.createConnection(env.MONGODB_URI, { dbName: svc.env.MONGODB_DATABASE }).asPromise();

async function until(what, done, timeoutS = 3_600) {
  const start = process.hrtime.bigint();
  for (let tick = 0; !done(); tick++) {
    if (seconds(start) > timeoutS) throw new Error(`${what}: not done in ${timeoutS} s`);
    if (tick % 200 === 199) log(`… ${what}`);
    await pause(25);
  }
}

// 1. Intake.
const now = new Date().toISOString();
const calls = Array.from({ length: N }, (_, i) => interaction(i, now, ...CALLS[i % CALLS.length]));
const intakeStart = process.hrtime.bigint();
await produceAll(kafka, calls, (r) => svc.prefix + r.topic);
await until(`${opened.size} of ${N} tickets opened`, () => opened.size >= N);
// Done when every ticket is settled too: its SLA jobs added, its lists and counters moved (the unsettled set empty).
for (let settled = false; !settled; ) settled = (await redis.zcard(`${svc.env.MONGODB_DATABASE}:sd:unsettled`)) === 0 || (await pause(10), false);
const intakeS = seconds(intakeStart);
const jobsQueue = new Queue('service-desk-sla-stages', { connection: redis, prefix: `${svc.env.MONGODB_DATABASE}:bull` });
const delayedJobs = await jobsQueue.getDelayedCount();

// Ceilings of phase 1: the same ticket documents, bulk-inserted raw; as many delayed jobs, added raw.
const docs = await conn.collection('tickets').find({}).limit(N).toArray();
const rawStart = process.hrtime.bigint();
for (let i = 0; i < docs.length; i += 500) await conn.collection('bench_raw_tickets').insertMany(docs.slice(i, i + 500).map((d) => ({ ...d, _id: `raw-${d._id}` })), { ordered: false });
const rawInsertS = seconds(rawStart);
const rawQueue = new Queue('bench-raw-delayed', { connection: redis, prefix: `${svc.env.MONGODB_DATABASE}:rawbull` });
const addStart = process.hrtime.bigint();
for (let i = 0; i < N * 6; i += 500) await rawQueue.addBulk(Array.from({ length: Math.min(500, N * 6 - i) }, (_, j) => ({ name: 'raw', data: { i: i + j }, opts: { jobId: `raw.${i + j}`, delay: 3_600_000, removeOnComplete: true } })));
const rawAddS = seconds(addStart);
await rawQueue.obliterate({ force: true });

// 2. SLA stages: card losses reported 31 min ago: first response's warning, breach and 2× breach all due.
const late = new Date(Date.now() - 31 * 60_000).toISOString();
const before = escalated.length;
const slaStart = process.hrtime.bigint();
await produceAll(kafka, Array.from({ length: SLA }, (_, i) => interaction(N + i, late, 'CARD_LOSS', '信用卡被盗刷了')), (r) => svc.prefix + r.topic);
await until(`${escalated.length - before} of ${SLA * 2} escalations`, () => escalated.length - before >= SLA * 2);
const slaS = seconds(slaStart);
// Ceiling of phase 2: a raw worker taking as many jobs (three stages a ticket), doing nothing.
const procQueue = new Queue('bench-raw-process', { connection: redis, prefix: `${svc.env.MONGODB_DATABASE}:rawbull` });
for (let i = 0; i < SLA * 3; i += 500) await procQueue.addBulk(Array.from({ length: Math.min(500, SLA * 3 - i) }, (_, j) => ({ name: 'raw', data: {}, opts: { removeOnComplete: true } })));
let processed = 0;
const procStart = process.hrtime.bigint();
const worker = new Worker('bench-raw-process', async () => void processed++, { connection: new Redis(env.REDIS_URL, { maxRetriesPerRequest: null }), prefix: `${svc.env.MONGODB_DATABASE}:rawbull`, concurrency: 8 });
await until(`${processed} raw jobs`, () => processed >= SLA * 3);
const rawProcessS = seconds(procStart);
await worker.close();
await procQueue.obliterate({ force: true });
const mem = svc.rss();

// 3. Work lists at 100,000 tickets: seeded (documents and list entries in the service's format), then paged.
const template = docs.find((d) => d.queue === 'CARDS' && d.status === 'NEW') ?? docs[0];
const seedStart = process.hrtime.bigint();
const prefix = `${svc.env.MONGODB_DATABASE}:sd:`;
const QUEUES = ['CARDS', 'LOANS', 'WEALTH', 'DEPOSITS', 'DIGITAL', 'GENERAL'];
for (let i = 0; i < TICKETS; i += 1_000) {
  const batch = Array.from({ length: Math.min(1_000, TICKETS - i) }, (_, j) => {
    const n = i + j;
    const openedAt = new Date(Date.parse('2026-01-01T00:00:00Z') + n * 60_000);
    // Five tickets a customer (20,000 customers at 100,000 tickets): the context view lists the other four.
    return { ...template, _id: `TKT-bench${String(n).padStart(8, '0')}`, customerId: `SDC${String(n % Math.max(1, Math.floor(TICKETS / 5))).padStart(6, '0')}`, queue: QUEUES[Math.floor(n / 3) % 6], priority: ['P1', 'P2', 'P3'][n % 3], status: 'NEW', openedAt, outbox: [], timers: [], counts: [] };
  });
  await conn.collection('tickets').insertMany(batch, { ordered: false });
  const pipe = redis.pipeline();
  for (const t of batch) {
    const list = `${prefix}wl:${t.queue}:NEW:${t.priority}:n`;
    const member = `${String(t.openedAt.getTime()).padStart(15, '0')}|${t._id}`;
    pipe.zadd(list, 0, member).hset(`${prefix}wl-index`, t._id, `${list} ${member}`);
    pipe.zadd(`${prefix}cust:${t.customerId}:tickets`, 0, member).zadd(`${prefix}cust:${t.customerId}:open`, 0, member);
  }
  await pipe.exec();
  if ((i / 1_000) % 20 === 19) log(`… ${i + 1_000} of ${TICKETS} tickets seeded`);
}
const seedS = seconds(seedStart);
const get = async (query) => {
  const res = await fetch(`${svc.url}/v1/tickets?${query}`, { headers: { authorization: `Bearer ${svc.token}` } });
  if (!res.ok) throw new Error(`GET /v1/tickets?${query} answered ${res.status}`);
  return res.json();
};
const one = [];
for (let p = 0; p < 20; p++) {
  const t = process.hrtime.bigint();
  await get(`queue=${QUEUES[p % 6]}&status=NEW&limit=1`);
  one.push(Number(process.hrtime.bigint() - t) / 1e6);
}
const page = [];
const nextPage = [];
let total = 0;
for (let p = 0; p < PROBES; p++) {
  const query = `queue=${QUEUES[p % 6]}&status=NEW&limit=50`;
  let t = process.hrtime.bigint();
  const first = await get(query);
  page.push(Number(process.hrtime.bigint() - t) / 1e6);
  total = first.total;
  t = process.hrtime.bigint();
  await get(`${query}&cursor=${first.next}`);
  nextPage.push(Number(process.hrtime.bigint() - t) / 1e6);
}
// The same reads, raw: the sizes of the filter's six lists (three priorities × two breach flags), the ranges of each priority's two lists until the page is full, the page's tickets by _id.
const raw = [];
for (let p = 0; p < PROBES; p++) {
  const t = process.hrtime.bigint();
  const lists = ['P1', 'P2', 'P3'].map((pr) => ['n', 'b'].map((b) => `${prefix}wl:${QUEUES[p % 6]}:NEW:${pr}:${b}`));
  await Promise.all(lists.flat().map((l) => redis.zcard(l)));
  const ids = [];
  for (const group of lists) {
    if (ids.length >= 50) break;
    const ranges = await Promise.all(group.map((l) => redis.zrangebylex(l, '-', '+', 'LIMIT', 0, 50 - ids.length)));
    ids.push(...ranges.flat().sort().slice(0, 50 - ids.length).map((m) => m.slice(m.indexOf('|') + 1)));
  }
  const found = await Promise.all(ids.map((id) => conn.collection('tickets').findOne({ _id: id })));
  if (found.filter(Boolean).length !== 50) throw new Error(`the raw page found ${found.filter(Boolean).length} of 50 tickets`);
  raw.push(Number(process.hrtime.bigint() - t) / 1e6);
}
// The agent's context view (GET /v1/tickets/{id}) at that size, next to its reads done raw: the ticket, the customer's merges, profile facts and tier by _id, the erased mark, their open and newest tickets and interactions (Redis), the other tickets by _id.
const pick = (p) => `TKT-bench${String((p * 7_919) % TICKETS).padStart(8, '0')}`;
const view = [];
let listed = 0;
for (let p = 0; p < PROBES; p++) {
  const t = process.hrtime.bigint();
  const res = await fetch(`${svc.url}/v1/tickets/${pick(p)}`, { headers: { authorization: `Bearer ${svc.token}` } });
  if (!res.ok) throw new Error(`GET /v1/tickets/${pick(p)} answered ${res.status}`);
  listed += (await res.json()).context.openTickets.length;
  view.push(Number(process.hrtime.bigint() - t) / 1e6);
}
if (listed < PROBES * 4) throw new Error(`the context views listed ${listed} open tickets, fewer than ${PROBES * 4}`);
const rawView = [];
for (let p = 0; p < PROBES; p++) {
  const t = process.hrtime.bigint();
  const ticket = await conn.collection('tickets').findOne({ _id: pick(p) });
  const c = ticket.customerId;
  await Promise.all([conn.collection('customer_merges').findOne({ _id: c }), conn.collection('customer_profiles').findOne({ _id: c }), redis.sismember(`${prefix}erased`, c)]);
  const [, open, newest] = await Promise.all([
    conn.collection('customer_contexts').findOne({ _id: c }),
    redis.zrevrangebylex(`${prefix}cust:${c}:open`, '+', '-'),
    redis.zrevrangebylex(`${prefix}cust:${c}:tickets`, '+', '-', 'LIMIT', 0, 11),
    redis.zrevrangebylex(`${prefix}cust:${c}:ix`, '+', '-', 'LIMIT', 0, 20),
  ]);
  const others = [...new Set([...open, ...newest].map((m) => m.slice(m.indexOf('|') + 1)))].filter((id) => id !== ticket._id);
  await Promise.all(others.map((id) => conn.collection('tickets').findOne({ _id: id })));
  rawView.push(Number(process.hrtime.bigint() - t) / 1e6);
}
await reader.stop();
await svc.stop();
await jobsQueue.close();
await conn.close();
redis.disconnect();

const q = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return `p50 ${quantile(s, 0.5).toFixed(1)} ms, p99 ${quantile(s, 0.99).toFixed(1)} ms`;
};
log(`1. raw bulk insert of the ticket documents         ${(docs.length / rawInsertS).toFixed(0).padStart(7)} docs/s   (${rawInsertS.toFixed(2)} s)   the ceiling of storage`);
log(`   raw BullMQ addBulk of delayed jobs                ${((N * 6) / rawAddS).toFixed(0).padStart(7)} jobs/s   (${rawAddS.toFixed(2)} s)   six a ticket: ${((N * 6) / rawAddS / 6).toFixed(0)} tickets/s of jobs alone`);
log(`   tickets opened (interaction → TicketOpened)      ${(N / intakeS).toFixed(0).padStart(7)} tickets/s (${intakeS.toFixed(2)} s)   ${((rawInsertS / intakeS) * 100).toFixed(1)} % of the storage ceiling; SLA jobs waiting: ${delayedJobs} (${(delayedJobs / N).toFixed(1)} a ticket), their share of a ticket's time ≈ ${(((6 / ((N * 6) / rawAddS)) / (intakeS / N)) * 100).toFixed(1)} % at the raw add rate`);
log(`2. raw BullMQ worker, no-op jobs                   ${((SLA * 3) / rawProcessS).toFixed(0).padStart(7)} jobs/s   (${rawProcessS.toFixed(2)} s)   the ceiling of job processing`);
log(`   SLA stages reached and escalated (3 a ticket)    ${((SLA * 3) / slaS).toFixed(0).padStart(7)} stages/s (${slaS.toFixed(2)} s, ${SLA * 2} TicketEscalated, intake included)   ${((rawProcessS / slaS) * 100).toFixed(1)} % of the ceiling   [RSS ${mem.rssMb.toFixed(0)} MB, peak ${mem.peakMb.toFixed(0)} MB]`);
log(`3. ${TICKETS} tickets seeded in ${seedS.toFixed(0)} s; a queue's NEW list holds ${total}`);
log(`   raw: 6 ZCARD, the P1…P3 ranges, 50 findOne by _id ${q(raw)}   the ceiling`);
log(`   GET /v1/tickets?queue=…&status=NEW&limit=1       ${q(one)}   (20 requests)`);
log(`   GET /v1/tickets?queue=…&status=NEW&limit=50      ${q(page)}   (${PROBES} requests); the next page: ${q(nextPage)}`);
log(`   raw: the context view's reads (5 findOne, 4 Redis) ${q(rawView)}   the ceiling`);
log(`   GET /v1/tickets/{id} with the customer's context  ${q(view)}   (${PROBES} requests, 4 other open tickets each)`);
// The readers and clients above hold the event loop: the bench is over.
process.exit(0);

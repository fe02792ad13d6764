/**
 * `npm run bench -- campaign` (issue 12): trigger decisions next to ceilings measured in the same run.
 *
 * 0. BENCH_CUSTOMERS customers (default 100,000) are seeded straight into the service's two
 *    MongoDB collections before it starts (not through crm.profile.v1: that is profile's figure),
 *    as an existing deployment's are; at start it copies them into the Redis facts its decisions
 *    read (ADR 0015): the time to that and Redis's memory after it.
 * 1. Throughput: BENCH_CAMPAIGNS active campaigns (default 50) on ten segments, five a segment,
 *    with audience rules; then BENCH_TRIGGERS SegmentMembershipChanged (default 10,000), each
 *    setting five campaigns off: decisions/s (every one published, CampaignMessageRequested or
 *    Suppressed) and the service's CPU meanwhile. Next to it, the ceiling of the same Redis round
 *    trips done raw — per trigger the customer's facts (HGETALL of the service's own key) and
 *    contact holds (HVALS, HKEYS), per batch the completeness mark and the channel history, per
 *    decision the ledger's own script on scratch keys with a decision's arguments (and, for scale,
 *    a script that only looks at the same seven keys) — pipelined in runs of 100 triggers; and of
 *    the MongoDB reads decisions made before ADR 0015 (two findOne by `_id` a customer). And the
 *    CPU each process spent a decision meanwhile — the service, the local FerretDB, Kafka and
 *    Redis, this bench — and what the servers' part, at this rate, leaves of these cores: the
 *    machine the figures were measured on, told apart from the service.
 * 2. Latency: triggers sent at half the measured rate, p50/p99 from the trigger to its
 *    CampaignMessageRequested (the envelope's occurredAt is the send time).
 * 3. A scheduled campaign over the whole base (point 8): from its activation to its batch run's
 *    end — the base built from MongoDB in one pass (the customers were seeded there), then decided
 *    in partitions — next to the time the same two MongoDB reads a customer take raw.
 *
 * BENCH_PHASES=throughput (or throughput,latency) leaves the later phases out, for a profile.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { SERVICE_NODE_OPTIONS, consumeCount, cpuOf, cpuSeconds, kafkaFor, log, produceAll, quantile, root, serverPids, serviceEnv, servers, startService } from './lib.mjs';
import { availableParallelism } from 'node:os';

const require = createRequire(import.meta.url);
const mongoose = require('mongoose');
const Redis = require('ioredis');
const { newEnvelope } = require(path.join(root, 'libs/events/dist/kafka/index.js'));

const CAMPAIGNS = Number(process.env.BENCH_CAMPAIGNS ?? 50);
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
const TRIGGERS = Number(process.env.BENCH_TRIGGERS ?? 10_000);
const SEGMENTS = 10;
/** BENCH_PHASES=throughput (a profile of one phase): the latency and the scheduled campaign follow unless left out. */
const PHASES = new Set((process.env.BENCH_PHASES ?? 'throughput,latency,scheduled').split(','));
const PER_TRIGGER = CAMPAIGNS / SEGMENTS;
const env = servers();
const seconds = (from) => Number(process.hrtime.bigint() - from) / 1e9;
const pause = (ms) => new Promise((r) => setTimeout(r, ms));
const customerId = (i) => `CMB${String(i).padStart(7, '0')}`;

log(`campaign runs with NODE_OPTIONS="${SERVICE_NODE_OPTIONS}"; node ${process.version}; ${CAMPAIGNS} campaigns, ${CUSTOMERS} customers, ${TRIGGERS} triggers`);
const senv = serviceEnv(env, 'campaign', 'cmp');
const kafka = kafkaFor(env.KAFKA_BROKERS, 'campaign-bench');
const conn = await mongoose.createConnection(env.MONGODB_URI, { dbName: senv.MONGODB_DATABASE }).asPromise();
const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null });
const factsKey = (id) => `${senv.MONGODB_DATABASE}:cmp:facts:${id}`;

// The customers, seeded in the service's MongoDB format before it starts (as an existing deployment's are): at start it copies them into the Redis facts its decisions read.
const seedStart = process.hrtime.bigint();
const asOf = new Date().toISOString();
for (let i = 0; i < CUSTOMERS; i += 2000) {
  const ids = Array.from({ length: Math.min(2000, CUSTOMERS - i) }, (_, k) => customerId(i + k));
  await conn.collection('customer_profiles').insertMany(ids.map((id, k) => ({ _id: id, version: 1, status: 'ACTIVE', features: { aumMinor: 10_000 * ((i + k) % 500), productsHeld: ['DEPOSIT_CURRENT'], txnCount30d: 2, txnCount90d: 6, txnAmount30dMinor: 100, txnAmount90dMinor: 300, tags: [], age: 20 + ((i + k) % 50), riskTolerance: 'R3', rmId: 'RM1', consents: { marketing: { app_push: (i + k) % 4 !== 0, sms: true } } } })), { ordered: false });
  await conn.collection('customer_segments').insertMany(ids.map((id) => ({ _id: id, derived: { tier: { value: 'SILVER', at: asOf, ms: Date.parse(asOf) } }, memberships: {} })), { ordered: false });
}
log(`seeded ${CUSTOMERS} customers in MongoDB in ${seconds(seedStart).toFixed(1)} s`);
const memory = async () => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))[1]);
const memoryBefore = await memory();
const copyStart = process.hrtime.bigint();
const svc = await startService(env, 'campaign', 'cmp', ['MARKETING'], senv);
for (let tick = 0; !(await redis.exists(`${senv.MONGODB_DATABASE}:cmp:facts:built`)); tick++) {
  if (tick % 40 === 39) log(`… copying the facts into Redis`);
  await pause(250);
}
const copySeconds = seconds(copyStart);
const grown = (await memory()) - memoryBefore;
log(`facts copied into Redis ${copySeconds.toFixed(1)} s after the service was started (its start included): Redis grew by ${(grown / 2 ** 20).toFixed(0)} MB, ${(grown / CUSTOMERS).toFixed(0)} bytes a customer`);

// The campaigns, through the API as a marketer defines them.
const call = async (method, route, body) => {
  const res = await fetch(`${svc.url}${route}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${svc.token}` }, ...(body && { body: JSON.stringify(body) }) });
  if (res.status >= 300) throw new Error(`${method} ${route}: ${res.status} ${await res.text()}`);
  return res.json();
};
for (let c = 0; c < CAMPAIGNS; c++) {
  const created = await call('POST', '/v1/campaigns', {
    name: `bench ${c}`,
    objective: 'RETENTION',
    trigger: { kind: 'SEGMENT_ENTERED', segmentId: `bseg-${c % SEGMENTS}` },
    audience: c % 2 ? { tier: { $in: ['GOLD', 'SILVER', 'MASS'] } } : { aumMinor: { $gte: 0 } },
    channels: ['app_push', 'sms'],
    templates: [
      { templateId: `push-${c}`, channel: 'app_push', locale: 'zh-CN', body: '{{greeting}}，{{productName}} 专属礼遇', variants: [{ variantId: 'young', when: { age: { $lte: 30 } }, body: '{{greeting}}～{{productName}}' }] },
      { templateId: `sms-${c}`, channel: 'sms', locale: 'zh-CN', body: '{{greeting}}，客户经理{{rmName}}为您准备了{{productName}}' },
    ],
    offer: { productType: 'WEALTH', riskLevel: 'R2', valueMinor: 500 },
    startAt: '2026-01-01T00:00:00+08:00',
    unitCostMinor: { app_push: 1, sms: 5 },
    controlShare: 0.1,
    goal: { kind: 'PRODUCT_OPENED', productType: 'WEALTH' },
    targetConversionRate: 0.05,
  });
  await call('POST', `/v1/campaigns/${created.campaignId}/activate`);
}

const outTopic = `${svc.prefix}crm.campaign.v1`;
const sentAt = new Map();
const latencies = [];
let outcomes = 0;
const reader = await consumeCount(kafka, [outTopic], Number.MAX_SAFE_INTEGER, (m) => {
  const e = JSON.parse(m.value.toString());
  outcomes++;
  if (e.type === 'CampaignMessageRequested' && sentAt.has(e.causationId)) latencies.push(Date.now() - sentAt.get(e.causationId));
});
const trigger = (i, tag) => {
  const id = customerId((i * 7919) % CUSTOMERS);
  const eventId = `cmb-${tag}-${i}`;
  return { key: id, envelope: newEnvelope('SegmentMembershipChanged', { customerId: id, segmentId: `bseg-${i % SEGMENTS}`, change: 'ENTERED' }, { eventId, source: 'bench', customerId: id, occurredAt: new Date().toISOString() }) };
};

async function until(what, done, timeoutS = 3_600) {
  const start = process.hrtime.bigint();
  for (let tick = 0; !done(); tick++) {
    if (seconds(start) > timeoutS) throw new Error(`${what}: not done in ${timeoutS} s`);
    if (tick % 400 === 399) log(`… ${what} (${outcomes} outcomes)`);
    await pause(25);
  }
}

// 1. Throughput.
const triggers = Array.from({ length: TRIGGERS }, (_, i) => trigger(i, 'tp'));
const tpStart = process.hrtime.bigint();
const tpCpu = cpuSeconds(svc.pid);
// Where the machine's CPU goes meanwhile: the service, the local servers it uses, this bench.
const processes = { campaign: svc.pid, ...serverPids(env) };
const machineBefore = cpuOf(processes);
await produceAll(kafka, triggers, () => `${svc.prefix}crm.segment.v1`);
await until('decisions', () => outcomes >= TRIGGERS * PER_TRIGGER);
const tpSeconds = seconds(tpStart);
const tpCpuShare = (cpuSeconds(svc.pid) - tpCpu) / tpSeconds;
const decisionsPerS = (TRIGGERS * PER_TRIGGER) / tpSeconds;
const machineAfter = cpuOf(processes);
const usPerDecision = Object.fromEntries(Object.keys(machineAfter).map((name) => [name, (1e6 * (machineAfter[name] - machineBefore[name])) / (TRIGGERS * PER_TRIGGER)]));

// The throughput phase left a backlog of hand-overs (outbox): drained first, so the ceilings and the latency are measured on a quiet service, not under a backlog.
const deliveries = `${senv.MONGODB_DATABASE}:bull:campaign-deliveries`;
const backlog = async () => (await redis.llen(`${deliveries}:wait`)) + (await redis.llen(`${deliveries}:active`));
const drainStart = process.hrtime.bigint();
const left = await backlog();
for (let tick = 0; (await backlog()) > 0; tick++) {
  if (tick % 40 === 39) log(`… handing over the throughput phase's messages (${await backlog()} left)`);
  if (seconds(drainStart) > 1_800) throw new Error('the hand-overs did not drain in 30 minutes');
  await pause(250);
}
log(`hand-overs left by the throughput phase: ${left}, drained in ${seconds(drainStart).toFixed(1)} s`);

// The ceilings: the same Redis round trips and MongoDB reads, raw. Per trigger the customer's
// facts (the service's own keys), service cases and opt-outs; per batch whether the facts are
// complete and the channel history; per decision the ledger's own script (on scratch keys, with
// the arguments a decision gives it) — and, for scale, a script that only looks at the same keys.
const NOOP = `for i = 1, #KEYS do redis.call('EXISTS', KEYS[i]) end return 1`;
const RUN = 100;
const WEEK_MS = 7 * 86_400_000;
const message = JSON.stringify({ channel: 'app_push', templateId: 'push-0', variantId: 'default', content: '尊敬的客户，稳健理财 专属礼遇', tier: 'SILVER' }).slice(1, -1);
async function redisCeiling(script, scratch) {
  const sha = await redis.script('LOAD', script);
  const start = process.hrtime.bigint();
  for (let t = 0; t < TRIGGERS; t += RUN) {
    const reads = redis.pipeline();
    const settle = redis.pipeline();
    for (let k = t; k < Math.min(TRIGGERS, t + RUN); k++) {
      reads.hgetall(factsKey(customerId((k * 7919) % CUSTOMERS))).hvals(`${scratch}cases:${k}`).hkeys(`${scratch}optouts:${k}`);
      for (let c = 0; c < PER_TRIGGER; c++) {
        const id = `${scratch}${c}.${k}`;
        settle.evalsha(sha, 7, `${scratch}d:${c}:${id}`, `${scratch}s:${k}`, `${scratch}s:${k}:${c}`, `${scratch}b:${c}`, `${scratch}st:${c}`, `${scratch}a:${k}`, factsKey(customerId((k * 7919) % CUSTOMERS)),
          Date.now(), 'CANDIDATE', '', '0', 35 * 86_400_000, 3, WEEK_MS, 1, 30 * 86_400_000, 0, -1, 1, k % 10 === 0 ? '1' : '0', id, message, `c${c}`, 'app_push', 'push-0/default', 10_000 * k, '2026-W49', 'SILVER');
      }
    }
    await reads.exists(`${scratch}built`).hgetall(`${scratch}history`).exec();
    await settle.exec();
  }
  return (TRIGGERS * PER_TRIGGER) / seconds(start);
}
const { SETTLE_SCRIPT } = require(path.join(root, 'dist/apps/campaign/campaigns/infrastructure/settle.script.js'));
const ledgerCeiling = await redisCeiling(SETTLE_SCRIPT, 'raw:ledger:');
const noopCeiling = await redisCeiling(NOOP, 'raw:noop:');
const profiles = conn.collection('customer_profiles');
const segments = conn.collection('customer_segments');
const mongoStart = process.hrtime.bigint();
const MONGO_SAMPLE = Math.min(TRIGGERS, 2000);
for (let t = 0; t < MONGO_SAMPLE; t += 16) {
  await Promise.all(Array.from({ length: Math.min(16, MONGO_SAMPLE - t) }, (_, k) => Promise.all([profiles.findOne({ _id: customerId(((t + k) * 7919) % CUSTOMERS) }), segments.findOne({ _id: customerId(((t + k) * 7919) % CUSTOMERS) })])));
}
const mongoCeiling = (MONGO_SAMPLE * PER_TRIGGER) / seconds(mongoStart);
log(`decisions: ${decisionsPerS.toFixed(0)}/s (${TRIGGERS} triggers × ${PER_TRIGGER} campaigns in ${tpSeconds.toFixed(1)} s; the service used ${(100 * tpCpuShare).toFixed(0)} % of a core)`);
log(`  ceiling, the same Redis round trips raw (the ledger's own script): ${ledgerCeiling.toFixed(0)} decisions/s → ${((100 * decisionsPerS) / ledgerCeiling).toFixed(1)} % of it`);
log(`  (with a script that only looks at the same keys in its place: ${noopCeiling.toFixed(0)} decisions/s → ${((100 * decisionsPerS) / noopCeiling).toFixed(1)} % of it)`);
log(`  the MongoDB reads decisions made before ADR 0015, raw (two findOne by _id a trigger, 16 at once): ${mongoCeiling.toFixed(0)} decisions/s → ${((100 * decisionsPerS) / mongoCeiling).toFixed(1)} % of it`);
// Where the machine's CPU went, a decision: what the servers spent at this rate leaves the service only so much of these cores.
const cores = availableParallelism();
const serverUse = Object.entries(usPerDecision).filter(([name]) => name !== 'campaign' && name !== 'bench');
const serversUs = serverUse.reduce((sum, [, us]) => sum + us, 0);
log(`  CPU a decision meanwhile, on ${cores} cores (as Node counts them): ${Object.entries(usPerDecision).map(([name, us]) => `${name} ${us.toFixed(0)} µs`).join(', ')}`);
if (serverUse.length > 1) {
  log(`  at this rate the servers spent ${serversUs.toFixed(0)} µs a decision (the bench's own load aside): were the service to spend nothing, these cores would allow about ${((cores * 1e6) / serversUs).toFixed(0)} decisions/s (${((100 * cores * 1e6) / serversUs / ledgerCeiling).toFixed(1)} % of the ledger ceiling) — an estimate at this rate, not a bound`);
  log(`  the service alone at what it spent, on a core of its own: ${(1e6 / usPerDecision.campaign).toFixed(0)} decisions/s (${((100 * 1e6) / usPerDecision.campaign / ledgerCeiling).toFixed(1)} % of the ledger ceiling)`);
}

if (PHASES.has('latency')) {
// 2. Latency at half the rate.
const rate = Math.max(1, (decisionsPerS / PER_TRIGGER) / 2);
const LAT = Math.min(2_000, Math.round(rate * 20));
const before = outcomes;
const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
await producer.connect();
const latStart = Date.now();
for (let i = 0; i < LAT; i++) {
  const due = latStart + (i * 1000) / rate;
  if (due > Date.now()) await pause(due - Date.now());
  const t = trigger(TRIGGERS + i, 'lat');
  sentAt.set(t.envelope.eventId, Date.now());
  await producer.send({ topic: `${svc.prefix}crm.segment.v1`, acks: -1, messages: [{ key: t.key, value: JSON.stringify({ ...t.envelope, occurredAt: new Date().toISOString() }) }] });
}
await producer.disconnect();
await until('latency outcomes', () => outcomes >= before + LAT * PER_TRIGGER);
const sorted = latencies.sort((a, b) => a - b);
log(`trigger → CampaignMessageRequested at ${rate.toFixed(0)} triggers/s (half the measured rate), ${sorted.length} messages: p50 ${quantile(sorted, 0.5)} ms, p99 ${quantile(sorted, 0.99)} ms`);
}
if (PHASES.has('scheduled')) {
// 3. A scheduled campaign over the whole base (point 8): the base built from MongoDB in one pass (it was seeded there), then decided in partitions.
const scheduled = await call('POST', '/v1/campaigns', {
  name: 'bench scheduled',
  objective: 'CROSS_SELL',
  trigger: { kind: 'SCHEDULED', at: new Date().toISOString() },
  audience: { aumMinor: { $gte: 0 } },
  channels: ['app_push', 'sms'],
  templates: [{ templateId: 'yearend-push', channel: 'app_push', locale: 'zh-CN', body: '{{greeting}}，年末理财季' }, { templateId: 'yearend-sms', channel: 'sms', locale: 'zh-CN', body: '{{greeting}}，年末理财季' }],
  offer: { productType: 'WEALTH', riskLevel: 'R2' },
  startAt: '2026-01-01T00:00:00+08:00',
  unitCostMinor: { app_push: 1, sms: 5 },
  controlShare: 0.1,
  goal: { kind: 'PRODUCT_OPENED', productType: 'WEALTH' },
  targetConversionRate: 0.05,
});
const batchStart = Date.now();
await call('POST', `/v1/campaigns/${scheduled.campaignId}/activate`);
let run;
for (let tick = 0; !run?.finishedAt; tick++) {
  await pause(500);
  const res = await fetch(`${svc.url}/v1/campaigns/${scheduled.campaignId}/batch`, { headers: { authorization: `Bearer ${svc.token}` } });
  run = res.status === 200 ? await res.json() : undefined;
  if (tick % 20 === 19) log(`… scheduled campaign: ${run ? `${run.partitionsDone}/${run.partitions} partitions, ${run.read} customers` : 'building the base'}`);
  if ((Date.now() - batchStart) / 1000 > 3_600) throw new Error('the scheduled campaign did not finish in an hour');
}
const batchS = (Date.now() - batchStart) / 1000;
const decideS = (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000;
// Its ceiling: the same two findOne by _id a customer, raw, at the rate measured above (16 at once).
const readsCeilingS = run.read / (mongoCeiling / PER_TRIGGER);
log(`scheduled campaign over ${run.read} customers: ${batchS.toFixed(1)} s from activation (base built from MongoDB in ${(batchS - decideS).toFixed(1)} s, decided in ${decideS.toFixed(1)} s over ${run.partitions} partitions: ${(run.read / decideS).toFixed(0)} customers/s; sent ${run.sent}, control ${run.control}, suppressed ${run.suppressed}, postponed ${run.postponed})`);
log(`  the MongoDB reads it made before ADR 0015, raw: ${readsCeilingS.toFixed(1)} s → decided at ${((100 * readsCeilingS) / decideS).toFixed(1)} % of that rate`);
}
const rss = svc.rss();
log(`campaign RSS ${rss.rssMb.toFixed(0)} MB (peak ${rss.peakMb.toFixed(0)} MB)`);

await reader.stop();
await svc.stop();
await conn.dropDatabase();
await conn.close();
const leftovers = [...(await redis.keys('raw:*')), ...(await redis.keys(`${senv.MONGODB_DATABASE}:*`))];
for (let i = 0; i < leftovers.length; i += 500) await redis.del(...leftovers.slice(i, i + 500));
redis.disconnect();
process.exit(0);

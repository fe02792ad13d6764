/**
 * `npm run bench -- segmentation` (issue 10): segmentation as a real process against the
 * real servers, each figure next to a ceiling measured in the same run.
 *
 *  1. ProfileUpdated evaluations/s with the full tag catalogue and BENCH_SEGMENTS segments
 *     defined, next to a raw kafkajs consume of the same records (the ceiling).
 *  2. p50/p99 from publishing a ProfileUpdated to receiving the TierChanged it causes, at
 *     half the measured rate.
 *  3. The daily sweep over BENCH_CUSTOMERS stored customers of whom BENCH_DUE_SHARE are due,
 *     next to a raw scan of the same collection (the sweep reads only who is due), with the
 *     number of documents each read.
 *  4. GET /v1/analytics/tiers latency with the counters of BENCH_CUSTOMERS customers.
 *  Peak RSS of the service over all of it.
 *
 *   BENCH_N           ProfileUpdated records in phase 1   (default 20,000; 2 per customer)
 *   BENCH_SEGMENTS    segments defined                     (default 200)
 *   BENCH_PROBES      TierChanged latency probes           (default 300)
 *   BENCH_CUSTOMERS   stored customers for phases 3 and 4  (default 100,000)
 *   BENCH_DUE_SHARE   share of them due at the sweep       (default 0.01)
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { SERVICE_NODE_OPTIONS, consumeCount, kafkaFor, log, produceAll, quantile, root, servers, startService } from './lib.mjs';

const require = createRequire(import.meta.url);
const mongoose = require('mongoose');
const Redis = require('ioredis');
const dist = (p) => require(path.join(root, 'dist/apps/segmentation', p));
const { evaluateCustomer } = dist('segments/domain/evaluate-customer.js');
const { countersOf } = dist('segments/domain/segment-effects.js');
const { sweepPartition } = dist('segments/domain/sweep-partition.js');
const { nextDueAt } = dist('segments/domain/next-due.js');
const { DEFAULT_SEGMENTATION_RULES } = dist('segments/domain/segmentation-rules.js');
const { DEFAULT_CHURN_MODEL } = dist('segments/domain/churn-risk.js');

const N = Number(process.env.BENCH_N ?? 20_000);
const SEGMENTS = Number(process.env.BENCH_SEGMENTS ?? 200);
const PROBES = Number(process.env.BENCH_PROBES ?? 300);
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
const DUE_SHARE = Number(process.env.BENCH_DUE_SHARE ?? 0.01);
const CNY = 100;
const DAY = 86_400_000;
const T0 = Date.parse('2026-06-01T02:00:00Z');
const iso = (ms) => new Date(ms).toISOString();

function features(c, v, asOfMs) {
  const aum = ((c * 7919) % 9_000_000) * CNY * (v === 2 ? 1.2 : 1);
  return {
    aumMinor: Math.round(aum),
    productsHeld: ['DEPOSIT_CURRENT', ...(c % 3 === 0 ? ['FUND'] : []), ...(c % 7 === 0 ? ['CREDIT_CARD'] : [])],
    txnCount30d: c % 12,
    txnCount90d: c % 40,
    txnAmount30dMinor: (c % 50) * 1_000 * CNY,
    txnAmount90dMinor: (c % 90) * 2_000 * CNY,
    tags: c % 4 === 0 ? ['PAYROLL'] : [],
    firstProductAt: iso(T0 - (c % 400) * DAY),
    lastTransactionAt: iso(asOfMs - (c % 120) * DAY),
    lastActivityAt: iso(asOfMs - (c % 60) * DAY),
    txnCountPrior60d: c % 25,
    aumPeak90dMinor: Math.round(aum * 1.1),
    branchId: `BR${String(c % 40).padStart(3, '0')}`,
    balancesByType: { DEPOSIT_CURRENT: Math.round(aum) },
    appLogins30d: c % 15,
    asOf: iso(asOfMs),
  };
}

let seq = 0;
function profileUpdated(customerId, version, f) {
  return {
    key: customerId,
    envelope: { eventId: `sb-${++seq}-${customerId}-${version}`, type: 'ProfileUpdated', schemaVersion: 1, occurredAt: f.asOf, source: 'meridian-profile', customerId, payload: { customerId, version, changedFields: ['aumMinor'], features: f } },
  };
}

/** Segments of the shapes a marketer writes: thresholds, tiers and stages, tags, RFM, channels. */
function segmentRule(i) {
  const shapes = [
    () => ({ aumMinor: { $gte: (i % 50) * 100_000 * CNY }, tier: { $in: ['GOLD', 'DIAMOND'] } }),
    () => ({ $or: [{ tags: 'PAYROLL' }, { 'rfm.f': { $gte: 1 + (i % 5) } }], lifecycleStage: { $ne: 'CHURNED' } }),
    () => ({ productsHeld: { $all: ['DEPOSIT_CURRENT', 'FUND'] }, churnScore: { $lt: 0.2 + (i % 7) / 10 } }),
    () => ({ 'rfm.r': { $gte: 1 + (i % 5) }, 'rfm.m': { $lte: 5 - (i % 3) }, branchId: { $in: [`BR${String(i % 40).padStart(3, '0')}`, 'BR001'] } }),
    () => ({ $and: [{ txnCount90d: { $gt: i % 30 } }, { appLogins30d: { $gte: i % 10 } }, { $nor: [{ lifecycleStage: 'DORMANT' }] }] }),
  ];
  return shapes[i % shapes.length]();
}

async function http(svc, method, route, body) {
  const res = await fetch(svc.url + route, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${svc.token}` }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: await res.json().catch(() => undefined) };
}

async function lag(kafka, group, topic) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    const ends = await admin.fetchTopicOffsets(topic);
    return ends.reduce((s, p) => s + Number(p.high) - Math.max(0, Number(committed.partitions.find((c) => c.partition === p.partition)?.offset ?? 0)), 0);
  } finally {
    await admin.disconnect();
  }
}

const env = servers();
log(`segmentation runs with NODE_OPTIONS="${SERVICE_NODE_OPTIONS}"; node ${process.version}; servers ${env.KAFKA_BROKERS} ${env.MONGODB_URI} ${env.REDIS_URL}`);
/** The service's peak RSS in each phase (streaming, then the sweep over a stored base): where a peak comes from. */
const peaks = { streaming: 0, sweep: 0 };
const peak = (svc, phase) => (peaks[phase] = Math.max(peaks[phase], svc.rss().peakMb));

// ── 1 and 2: streaming ───────────────────────────────────────────────────────────────────
{
  const svc = await startService(env, 'segmentation', 'stream', ['ADMIN']);
  const kafka = kafkaFor(env.KAFKA_BROKERS, 'segmentation-bench');
  let defined = 0;
  for (let i = 0; i < SEGMENTS; i++) {
    const r = await http(svc, 'POST', '/v1/segments', { name: `bench segment ${i}`, rule: segmentRule(i) });
    if (r.status === 404) break;
    if (r.status !== 201) throw new Error(`POST /v1/segments answered ${r.status}: ${JSON.stringify(r.body)}`);
    defined++;
  }
  const tags = (await http(svc, 'GET', '/v1/tags')).body?.tags?.length ?? 0;
  log(`rule book: ${tags} catalogue tags and ${defined} segments${defined < SEGMENTS ? ' (POST /v1/segments is not there: tags only)' : ''}`);

  const customers = Math.max(1, Math.floor(N / 2));
  const records = [];
  for (let c = 0; c < customers; c++) records.push(profileUpdated(`SB${String(c).padStart(7, '0')}`, 1, features(c, 1, T0)));
  for (let c = 0; c < customers; c++) records.push(profileUpdated(`SB${String(c).padStart(7, '0')}`, 2, features(c, 2, T0 + DAY)));
  const topic = `${svc.prefix}crm.profile.v1`;
  const start = process.hrtime.bigint();
  await produceAll(kafka, records, () => topic);
  for (let tick = 0; (await lag(kafka, svc.env.KAFKA_GROUP_ID, topic)) > 0; tick++) {
    if (tick % 40 === 39) log(`… ${await lag(kafka, svc.env.KAFKA_GROUP_ID, topic)} records to go`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const evalSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  const rate = records.length / evalSeconds;
  peak(svc, 'streaming');

  // The ceiling: the same records, consumed raw (no decode, no work).
  const rawStart = process.hrtime.bigint();
  const raw = await consumeCount(kafka, [topic], records.length);
  await raw.finished;
  const rawSeconds = Number(process.hrtime.bigint() - rawStart) / 1e9;
  await raw.stop();

  // The storage ceiling: the same state documents, as stored, bulk-replaced 500 at a time — as many writes as records.
  const conn = await mongoose.createConnection(env.MONGODB_URI, { dbName: svc.env.MONGODB_DATABASE }).asPromise();
  const stored = await conn.collection('segment_states').find({}).toArray();
  const scratch = conn.collection('bench_raw_states');
  await scratch.insertMany(stored, { ordered: false });
  const storeStart = process.hrtime.bigint();
  for (let done = 0; done < records.length; done += 500) {
    const batch = stored.slice(done % stored.length, (done % stored.length) + 500);
    await scratch.bulkWrite(batch.map(({ _id, ...rest }) => ({ replaceOne: { filter: { _id }, replacement: { ...rest, rev: rest.rev + 1 } } })), { ordered: false });
  }
  const storeSeconds = Number(process.hrtime.bigint() - storeStart) / 1e9;
  await conn.close();

  // Latency at half the rate: fresh customers, so each evaluation announces a first TierChanged.
  const arrivals = new Map();
  const reader = await consumeCount(kafka, [`${svc.prefix}crm.segment.v1`], Number.MAX_SAFE_INTEGER, (m) => {
    const e = JSON.parse(m.value.toString());
    if (e.type === 'TierChanged' && e.causationId) arrivals.set(e.causationId, process.hrtime.bigint());
  });
  await new Promise((r) => setTimeout(r, 2_000));
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const gapMs = 1_000 / (rate / 2);
  const sentAt = new Map();
  const probeStart = Date.now();
  for (let p = 0; p < PROBES; p++) {
    const probe = profileUpdated(`SP${String(p).padStart(7, '0')}`, 1, features(p, 1, T0 + 2 * DAY));
    const wait = probeStart + p * gapMs - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    sentAt.set(probe.envelope.eventId, process.hrtime.bigint());
    await producer.send({ topic, acks: -1, messages: [{ key: probe.key, value: JSON.stringify(probe.envelope) }] });
  }
  const deadline = Date.now() + 60_000;
  while ([...sentAt.keys()].some((id) => !arrivals.has(id)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const latencies = [...sentAt].filter(([id]) => arrivals.has(id)).map(([id, t]) => Number(arrivals.get(id) - t) / 1e6).sort((a, b) => a - b);
  await producer.disconnect();
  await reader.stop();
  peak(svc, 'streaming');
  await svc.stop();

  log(`raw kafkajs consume of the ProfileUpdated records ${(records.length / rawSeconds).toFixed(0).padStart(7)} records/s (${rawSeconds.toFixed(2)} s)   the ceiling`);
  log(`raw bulk replace of the state documents        ${(records.length / storeSeconds).toFixed(0).padStart(7)} docs/s    (${storeSeconds.toFixed(2)} s)   the storage ceiling (one write per record)`);
  log(`ProfileUpdated evaluated (${tags} tags, ${defined} segments) ${rate.toFixed(0).padStart(7)} records/s (${evalSeconds.toFixed(2)} s)   ${((rawSeconds / evalSeconds) * 100).toFixed(1)} % of the consume ceiling, ${((storeSeconds / evalSeconds) * 100).toFixed(1)} % of the storage ceiling   (target ≥ 2,000/s)`);
  log(`ProfileUpdated → TierChanged at ${(rate / 2).toFixed(0)}/s: p50 ${quantile(latencies, 0.5).toFixed(1)} ms, p99 ${quantile(latencies, 0.99).toFixed(1)} ms (${latencies.length} of ${PROBES} probes answered)`);
}

// ── 3 and 4: the sweep and analytics over a stored base ─────────────────────────────────
{
  const svc = await startService(env, 'segmentation', 'sweep', ['ADMIN']);
  const conn = await mongoose.createConnection(env.MONGODB_URI, { dbName: svc.env.MONGODB_DATABASE }).asPromise();
  const redis = new Redis(env.REDIS_URL);
  const states = conn.collection('segment_states');
  const numbers = { rules: DEFAULT_SEGMENTATION_RULES, churnModel: DEFAULT_CHURN_MODEL, rfmBreakpoints: DEFAULT_SEGMENTATION_RULES };
  const none = { tags: [], segments: [] };
  const sweepAt = T0 + 200 * DAY;
  const partitions = Number(svc.env.SEGMENT_SWEEP_PARTITIONS ?? 16);
  const prefix = `${svc.env.MONGODB_DATABASE}:seg:`;
  const due = Math.round(CUSTOMERS * DUE_SHARE);
  const seedStart = Date.now();
  const counters = {};
  for (let c = 0; c < CUSTOMERS; c += 1_000) {
    const docs = [];
    const pipeline = redis.pipeline();
    for (let k = c; k < Math.min(CUSTOMERS, c + 1_000); k++) {
      const id = `SW${String(k).padStart(7, '0')}`;
      // Evaluated as the service would have, lately: the due ones reach 90 idle days (AT_RISK) the day before the sweep.
      const lastSeen = k < due ? sweepAt - 91 * DAY : sweepAt - DAY;
      const f = { ...features(k, 1, sweepAt - 2 * DAY), lastTransactionAt: iso(lastSeen), lastActivityAt: iso(lastSeen) };
      const state = evaluateCustomer(undefined, f, f.asOf, 1, none, numbers).state;
      // As segment-state.repository.ts stores it: the queried fields, and the rest as one JSON body.
      const { features: kept, tier, ...queried } = JSON.parse(JSON.stringify(state));
      docs.push({ _id: id, rev: 1, status: 'ACTIVE', ...queried, body: JSON.stringify({ features: kept, tier, outbox: [], effects: [] }) });
      const dueAt = nextDueAt(state, numbers);
      if (dueAt) pipeline.zadd(`${prefix}due:${sweepPartition(id, partitions)}`, Date.parse(dueAt), id);
      for (const [key, v] of Object.entries(countersOf(state))) counters[key] = (counters[key] ?? 0) + v;
    }
    await states.insertMany(docs, { ordered: false });
    await pipeline.exec();
  }
  const hash = redis.pipeline();
  for (const [k, v] of Object.entries(counters)) hash.hset(`${prefix}counters`, k, v);
  await hash.exec();
  log(`stored ${CUSTOMERS} customers (${due} due at the sweep) in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);

  const sweepStart = process.hrtime.bigint();
  const started = await http(svc, 'POST', '/v1/sweeps', { asOf: iso(sweepAt) });
  if (started.status !== 202) throw new Error(`POST /v1/sweeps answered ${started.status}: ${JSON.stringify(started.body)}`);
  let sweep;
  for (;;) {
    sweep = (await http(svc, 'GET', `/v1/sweeps/${encodeURIComponent(started.body._id)}`)).body;
    if (sweep?.finishedAt) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const sweepSeconds = Number(process.hrtime.bigint() - sweepStart) / 1e9;
  peak(svc, 'sweep');

  const scanStart = process.hrtime.bigint();
  const scanned = (await states.find({}).toArray()).length;
  const scanSeconds = Number(process.hrtime.bigint() - scanStart) / 1e9;

  const tiers = [];
  let tiersStatus = 0;
  for (let i = 0; i < 200; i++) {
    const t = process.hrtime.bigint();
    tiersStatus = (await http(svc, 'GET', '/v1/analytics/tiers')).status;
    tiers.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  tiers.sort((a, b) => a - b);
  peak(svc, 'sweep');
  await svc.stop();
  await redis.quit();
  await conn.dropDatabase();
  await conn.close();

  log(`raw scan of segment_states                        ${scanSeconds.toFixed(2).padStart(7)} s, ${scanned} documents read   the ceiling`);
  log(`daily sweep (${due} of ${CUSTOMERS} due)                    ${sweepSeconds.toFixed(2).padStart(7)} s, ${sweep.read} documents read, ${sweep.evaluated} moved, ${sweep.published} events   ${((sweepSeconds / scanSeconds) * 100).toFixed(1)} % of the scan's time   (target < 100 %)`);
  if (tiersStatus === 200) log(`GET /v1/analytics/tiers at ${CUSTOMERS} customers: p50 ${quantile(tiers, 0.5).toFixed(1)} ms, p99 ${quantile(tiers, 0.99).toFixed(1)} ms   (target ≤ 50 ms)`);
  else log(`GET /v1/analytics/tiers answered ${tiersStatus}: not measured`);
}
log(`segmentation peak RSS ${Math.max(peaks.streaming, peaks.sweep).toFixed(0)} MB (streaming ${peaks.streaming.toFixed(0)} MB, sweep and analytics ${peaks.sweep.toFixed(0)} MB)   (target ≤ 250 MB)`);

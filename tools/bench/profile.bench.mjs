/**
 * `npm run bench -- profile` (issue 4): how fast the profile service folds canonical events
 * into profiles, next to its ceiling measured in the same run — a raw mongoose bulk upsert
 * of the same profile documents (as the service stored them: sealed) — and the latency
 * from publishing a crm.* event to receiving the ProfileUpdated it caused (p50/p99).
 *
 *   BENCH_N        canonical events in the load phase   (default 20,000; 10 per customer)
 *   BENCH_PROBES   single events timed end to end        (default 200)
 *   BENCH_NODE_OPTIONS  the service's NODE_OPTIONS      (default: the Dockerfile's)
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { SERVICE_NODE_OPTIONS, consumeCount, kafkaFor, log, produceAll, quantile, root, servers, startService } from './lib.mjs';

const require = createRequire(import.meta.url);
const mongoose = require('mongoose');
const { sampleEnvelope } = require(path.join(root, 'libs/events/dist/fixtures/event-samples.js'));
const { residentId } = require(path.join(root, 'libs/events/dist/fixtures/event-samples.js'));

const N = Number(process.env.BENCH_N ?? 20_000);
const PROBES = Number(process.env.BENCH_PROBES ?? 200);
const PER_CUSTOMER = 10;

let seq = 0;
function event(topic, type, customerId, day, payload) {
  const envelope = sampleEnvelope(topic, type, { customerId, eventId: `pb-${++seq}`, occurredAt: `2026-03-${String(day).padStart(2, '0')}T10:00:00+08:00` });
  Object.assign(envelope.payload, payload);
  return { topic, key: customerId, envelope };
}

/** A customer's story: who they are, a deposit and its balances, then transactions. */
function story(c) {
  const id = `PB${String(c).padStart(7, '0')}`;
  const ref = { sourceSystem: 'bench-core', sourceCustomerId: `CB-${c}` };
  const out = [
    event('crm.customer.v1', 'CustomerUpserted', id, 1, { ...ref, idNumber: residentId(`19${50 + (c % 50)}0${(c % 9) + 1}1${c % 9}`, '310101', String(100 + (c % 900))), birthDate: undefined, name: `客户${c}`, phone: `13${String(100_000_000 + c).slice(-9)}` }),
    event('crm.product.v1', 'ProductOpened', id, 2, { ...ref, productId: `TD-${c}`, productType: 'DEPOSIT_TIME', openedAt: '2026-03-02T10:00:00+08:00' }),
    event('crm.product.v1', 'BalanceSnapshot', id, 3, { ...ref, productId: `TD-${c}`, productType: 'DEPOSIT_TIME', balanceMinor: 1_000_000 + c, currency: 'CNY', balanceCnyMinor: undefined }),
  ];
  for (let t = out.length; t < PER_CUSTOMER - 1; t++) {
    out.push(event('crm.transaction.v1', 'TransactionPosted', id, 4 + t, { ...ref, transactionId: `T-${c}-${t}`, amountMinor: 1_00 * (t + 1), balanceAfterMinor: undefined, bookedAt: undefined }));
  }
  out.push(event('crm.product.v1', 'BalanceSnapshot', id, 20, { ...ref, productId: `TD-${c}`, productType: 'DEPOSIT_TIME', balanceMinor: 2_000_000 + c, currency: 'CNY', balanceCnyMinor: undefined }));
  return out;
}

const env = servers();
const customers = Math.max(1, Math.floor(N / PER_CUSTOMER));
const events = Array.from({ length: customers }, (_, c) => story(c)).flat();
log(`profile runs with NODE_OPTIONS="${SERVICE_NODE_OPTIONS}"; node ${process.version}; ${events.length} canonical events for ${customers} customers; servers ${env.KAFKA_BROKERS} ${env.MONGODB_URI} ${env.REDIS_URL}`);

const svc = await startService(env, 'profile', 'profile', ['ADMIN']);
const kafka = kafkaFor(env.KAFKA_BROKERS, 'profile-bench');
const versions = new Map();
const arrivals = new Map();
const reader = await consumeCount(kafka, [`${svc.prefix}crm.profile.v1`], Number.MAX_SAFE_INTEGER, (m) => {
  const e = JSON.parse(m.value.toString());
  versions.set(e.customerId, Math.max(versions.get(e.customerId) ?? 0, e.payload.version));
  if (e.causationId) arrivals.set(e.causationId, process.hrtime.bigint());
});

// Load: everything at once; done when every customer's announced version counts all its events.
const start = process.hrtime.bigint();
await produceAll(kafka, events, (r) => svc.prefix + r.topic);
for (let tick = 0; ; tick++) {
  let done = 0;
  for (const v of versions.values()) if (v >= PER_CUSTOMER) done++;
  if (done >= customers) break;
  if (tick % 100 === 99) log(`… ${done} of ${customers} customers complete, ${versions.size} announced`);
  await new Promise((r) => setTimeout(r, 50));
}
const loadSeconds = Number(process.hrtime.bigint() - start) / 1e9;

// Latency: one event at a time, publish → the ProfileUpdated it caused.
const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
await producer.connect();
const latencies = [];
for (let p = 0; p < PROBES; p++) {
  const c = (p * 7919) % customers;
  const probe = event('crm.transaction.v1', 'TransactionPosted', `PB${String(c).padStart(7, '0')}`, 28, { sourceSystem: 'bench-core', sourceCustomerId: `CB-${c}`, transactionId: `P-${p}`, amountMinor: 1_00, balanceAfterMinor: undefined, bookedAt: undefined });
  const sent = process.hrtime.bigint();
  await producer.send({ topic: `${svc.prefix}crm.transaction.v1`, acks: -1, messages: [{ key: probe.key, value: JSON.stringify(probe.envelope) }] });
  while (!arrivals.has(probe.envelope.eventId)) await new Promise((r) => setImmediate(r));
  latencies.push(Number(arrivals.get(probe.envelope.eventId) - sent) / 1e6);
}
await producer.disconnect();
await reader.stop();
const mem = svc.rss();
await svc.stop();

// Ceiling: the same documents, bulk-upserted with mongoose, as many writes as events folded.
const conn = await mongoose.createConnection(env.MONGODB_URI, { dbName: svc.env.MONGODB_DATABASE }).asPromise();
const docs = await conn.collection('profiles').find({}).toArray();
const Raw = conn.model('BenchRawProfile', new mongoose.Schema({ _id: String }, { strict: false, versionKey: false }), 'bench_raw_profiles');
const rawStart = process.hrtime.bigint();
let written = 0;
while (written < events.length) {
  const batch = [];
  for (let i = 0; i < 500 && written + batch.length < events.length; i++) {
    const d = docs[(written + i) % docs.length];
    batch.push({ replaceOne: { filter: { _id: d._id }, replacement: { ...d, version: d.version + written }, upsert: true } });
  }
  await Raw.bulkWrite(batch, { ordered: false });
  written += batch.length;
}
const rawSeconds = Number(process.hrtime.bigint() - rawStart) / 1e9;
await conn.close();

const sorted = latencies.sort((a, b) => a - b);
log(`raw mongoose bulk upsert of the profile documents ${(events.length / rawSeconds).toFixed(0).padStart(7)} docs/s  (${rawSeconds.toFixed(2)} s)   the ceiling`);
log(`profile updates (events folded)                  ${(events.length / loadSeconds).toFixed(0).padStart(7)} events/s (${loadSeconds.toFixed(2)} s)   ${((rawSeconds / loadSeconds) * 100).toFixed(1)} % of the ceiling   [RSS ${mem.rssMb.toFixed(0)} MB]`);
log(`crm.* publish → ProfileUpdated, one event at a time: p50 ${quantile(sorted, 0.5).toFixed(1)} ms, p99 ${quantile(sorted, 0.99).toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms (${PROBES} probes)`);

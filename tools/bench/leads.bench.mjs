/**
 * `npm run bench -- leads` (issue 13): the loyalty ledger next to the raw round trips of the
 * stores it uses, measured in the same run.
 *
 * 0. BENCH_ACCOUNTS points accounts (default 100,000) seeded straight into MongoDB, each with an
 *    award, so the phases below read and write accounts among a bank-sized collection.
 * 1. Awards: BENCH_PURCHASES card purchases (default 20,000) of BENCH_CUSTOMERS cardholders
 *    (default 5,000, among the seeded accounts) on crm.transaction.v1 → PointsAwarded, entries/s. Each change of an account
 *    holds its lock and reads and writes by `_id`: the ceiling is those round trips done raw at the
 *    same concurrency — a lease taken, renewed and released, the marks before and after (Redis), the
 *    account read and written (MongoDB) — per account change.
 * 2. Redemptions: BENCH_REDEMPTIONS (default 2,000) through POST …/points/redemptions, 32 at a
 *    time over the cardholders, redemptions/s next to the same raw round trips per redemption.
 *
 * 3. Lead assignments: BENCH_LEADS customers (default 5,000) known to campaign (their profiles
 *    kept first, below the qualifying score), over 20 branches of 10 RMs, each then making a wealth
 *    INQUIRY on crm.interaction.v1: the intent kept, the lead scored, opened and given to the
 *    branch's least-loaded RM in one Redis step, LeadAssigned — assignments/s, next to the same
 *    round trips done raw (a lease, the lead read and written twice by `_id`, the assignment's
 *    count, the index, the release).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { SERVICE_NODE_OPTIONS, consumeCount, createTopics, kafkaFor, log, produceAll, root, servers, startService } from './lib.mjs';

const require = createRequire(import.meta.url);
const mongoose = require('mongoose');
const Redis = require('ioredis');
const { newEnvelope } = require(path.join(root, 'libs/events/dist/kafka/index.js'));
const { TOPICS } = require(path.join(root, 'libs/events/dist/index.js'));

const PURCHASES = Number(process.env.BENCH_PURCHASES ?? 20_000);
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 5_000);
const REDEMPTIONS = Number(process.env.BENCH_REDEMPTIONS ?? 2_000);
const LEADS = Number(process.env.BENCH_LEADS ?? 5_000);
const ACCOUNTS = Math.max(Number(process.env.BENCH_ACCOUNTS ?? 100_000), CUSTOMERS);
const env = servers();
const seconds = (from) => Number(process.hrtime.bigint() - from) / 1e9;
const pause = (ms) => new Promise((r) => setTimeout(r, ms));
const rate = (n, s) => `${Math.round(n / s).toLocaleString('en-US')}/s`;

log(`leads runs campaign with NODE_OPTIONS="${SERVICE_NODE_OPTIONS}"; node ${process.version}; servers ${env.KAFKA_BROKERS} ${env.MONGODB_URI} ${env.REDIS_URL}`);
const svc = await startService(env, 'campaign', 'leads', ['SYSTEM', 'ADMIN']);
const kafka = kafkaFor(env.KAFKA_BROKERS, 'leads-bench');
await createTopics(kafka, Object.values(TOPICS).map((t) => `${svc.prefix}${t}`));
const customerOf = (i) => `LB${String(i % CUSTOMERS).padStart(7, '0')}`;
const counted = { PointsAwarded: 0, PointsRedeemed: 0, LeadAssigned: 0 };
const reader = await consumeCount(kafka, [`${svc.prefix}crm.campaign.v1`], Number.MAX_SAFE_INTEGER, (m) => {
  const type = m.headers?.type?.toString();
  if (type in counted) counted[type] += 1;
});

async function until(what, done, timeoutS = 3_600) {
  const start = process.hrtime.bigint();
  for (let tick = 0; !done(); tick++) {
    if (seconds(start) > timeoutS) throw new Error(`${what}: not done in ${timeoutS} s`);
    if (tick % 400 === 399) log(`… ${what}`);
    await pause(25);
  }
}

// 0. The seeded base of accounts.
const mongo = await mongoose.createConnection(env.MONGODB_URI, { dbName: svc.env.MONGODB_DATABASE }).asPromise();
const redis = new Redis(env.REDIS_URL);
const accounts = mongo.collection('points_accounts');
const now = Date.now();
const seedStart = process.hrtime.bigint();
for (let i = 0; i < ACCOUNTS; i += 1_000) {
  const docs = Array.from({ length: Math.min(1_000, ACCOUNTS - i) }, (_, k) => {
    const customerId = `LB${String(i + k).padStart(7, '0')}`;
    const at = new Date(now - 30 * 86_400_000).toISOString();
    const expiresAt = new Date(now + 700 * 86_400_000).toISOString();
    const entry = { kind: 'AWARD', entryId: `pts-${customerId}-1`, seq: 1, points: 100, at, reason: 'CARD_PURCHASE', ref: `txn:seed:${customerId}`, expiresAt, balanceAfter: 100 };
    return { _id: customerId, rev: 1, ledger: { seq: 1, balance: 100, lots: [{ entryId: entry.entryId, seq: 1, points: 100, expiresAt }] }, recent: [entry], archivedThrough: 0, updatedAt: new Date(now) };
  });
  await accounts.insertMany(docs, { ordered: false });
  await redis.hset(`${svc.env.MONGODB_DATABASE}:cmp:pts:announced`, Object.fromEntries(docs.map((d) => [d._id, 1])));
}
log(`seeded ${ACCOUNTS.toLocaleString('en-US')} points accounts in ${seconds(seedStart).toFixed(1)} s`);

// 1. Awards through the bus.
const purchases = Array.from({ length: PURCHASES }, (_, i) => {
  const customerId = customerOf(i);
  const bookedAt = new Date(now - (PURCHASES - i) * 1_000).toISOString();
  const payload = { sourceSystem: 'bench-cards', sourceCustomerId: `CB-${customerId}`, transactionId: `T${i}`, productId: 'CARD', productType: 'CREDIT_CARD', direction: 'DEBIT', amountMinor: 10_000 * (1 + (i % 20)), currency: 'CNY', channel: 'POS', category: 'PURCHASE', bookedAt };
  return { topic: `${svc.prefix}crm.transaction.v1`, key: customerId, envelope: newEnvelope('TransactionPosted', payload, { eventId: `lb-${i}`, source: 'bench', customerId, occurredAt: bookedAt }) };
});
const awardStart = process.hrtime.bigint();
await produceAll(kafka, purchases, (r) => r.topic);
await until(`${PURCHASES} awards`, () => counted.PointsAwarded >= PURCHASES);
const awardSeconds = seconds(awardStart);

// Account changes the awards made: each awarded account's rev beyond the seeded one, read by _id.
const revs = await Promise.all(Array.from({ length: Math.min(CUSTOMERS, PURCHASES) }, (_, i) => accounts.findOne({ _id: customerOf(i) }, { projection: { rev: 1 } })));
const changes = revs.reduce((s, a) => s + (a?.rev ?? 1) - 1, 0);

/** One account change's round trips done raw, `n` of them `concurrency` at a time, on a collection and keys of their own: the lease, the account read with its last announced entry, the marks before the write, the fence, the write, the marks after, the release. */
async function rawChanges(n, concurrency, label) {
  const raw = mongo.collection(`raw_${label}`);
  const doc = (await accounts.findOne({})) ?? { ledger: {}, recent: [] };
  const key = (k) => `${svc.env.MONGODB_DATABASE}:raw:${k}`;
  let next = 0;
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let i = next++; i < n; i = next++) {
      const id = `raw-${label}-${i % CUSTOMERS}`;
      const lock = key(`lock:${id}`);
      const token = randomUUID();
      await redis.set(lock, token, 'PX', 15_000, 'NX');
      await Promise.all([raw.findOne({ _id: id }), redis.hget(key('announced'), id)]);
      await redis.multi().zadd(key('unannounced'), i, id).zadd(key('due'), 'LT', i, id).exec();
      await redis.eval("if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end return redis.call('PEXPIRE', KEYS[1], 15000)", 1, lock, token);
      await raw.replaceOne({ _id: id }, { ...doc, _id: id, rev: i }, { upsert: true });
      await redis.multi().hset(key('announced'), id, i).zrem(key('unannounced'), id).zadd(key('due'), i, id).exec();
      await redis.eval("if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end return redis.call('DEL', KEYS[1])", 1, lock, token);
    }
  }));
  return seconds(start);
}

const awardRaw = await rawChanges(changes, 16, 'awards');
log(`awards: ${PURCHASES.toLocaleString('en-US')} card purchases of ${CUSTOMERS.toLocaleString('en-US')} cardholders → PointsAwarded in ${awardSeconds.toFixed(1)} s: ${rate(PURCHASES, awardSeconds)} entries, ${rate(changes, awardSeconds)} account changes (${(PURCHASES / changes).toFixed(1)} entries a change)`);
log(`  ceiling: the same round trips raw (lease, the account read and written by _id, marks), ${changes.toLocaleString('en-US')} changes 16 at a time: ${awardRaw.toFixed(1)} s, ${rate(changes, awardRaw)} → ${((100 * awardRaw) / awardSeconds).toFixed(1)} %`);

// 2. Redemptions through the API.
let next = 0;
let created = 0;
let refused = 0;
const redeemStart = process.hrtime.bigint();
await Promise.all(Array.from({ length: 32 }, async () => {
  for (let i = next++; i < REDEMPTIONS; i = next++) {
    const res = await fetch(`${svc.url}/v1/customers/${customerOf(i)}/points/redemptions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${svc.token}` }, body: JSON.stringify({ clientKey: `r${i}`, points: 1, reason: 'GIFT' }) });
    if (res.status === 201) created += 1;
    else if (res.status === 409) refused += 1;
    else throw new Error(`redemption ${i} answered ${res.status}: ${await res.text()}`);
  }
}));
const redeemSeconds = seconds(redeemStart);
const redeemRaw = await rawChanges(REDEMPTIONS, 32, 'redemptions');
log(`redemptions: ${REDEMPTIONS.toLocaleString('en-US')} through POST /v1/customers/{id}/points/redemptions, 32 at a time: ${redeemSeconds.toFixed(1)} s, ${rate(REDEMPTIONS, redeemSeconds)} (${created} made, ${refused} refused)`);
log(`  ceiling: the same round trips raw, 32 at a time: ${redeemRaw.toFixed(1)} s, ${rate(REDEMPTIONS, redeemRaw)} → ${((100 * redeemRaw) / redeemSeconds).toFixed(1)} %`);
await until('redemptions announced', () => counted.PointsRedeemed >= created, 120);

// 3. Lead assignments.
const BRANCHES = 20;
const RMS = 10;
for (let b = 0; b < BRANCHES; b++) {
  for (let r = 0; r < RMS; r++) {
    const res = await fetch(`${svc.url}/v1/rms/RM-${b}-${r}`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${svc.token}` }, body: JSON.stringify({ branchId: `BR${b}`, status: 'ACTIVE', capacity: 10_000 }) });
    if (res.status !== 200) throw new Error(`PUT /v1/rms answered ${res.status}: ${await res.text()}`);
  }
}
const leadCustomer = (i) => `LD${String(i).padStart(7, '0')}`;
const seededAt = new Date(Date.now() - 60_000).toISOString();
const profiles = Array.from({ length: LEADS }, (_, i) => {
  const customerId = leadCustomer(i);
  const features = { aumMinor: 60_000_000, productsHeld: ['DEPOSIT_CURRENT'], txnCount30d: 3, txnCount90d: 9, txnAmount30dMinor: 100, txnAmount90dMinor: 300, tags: [], consents: { marketing: { sms: true } }, branchId: `BR${i % BRANCHES}` };
  return { topic: `${svc.prefix}crm.profile.v1`, key: customerId, envelope: newEnvelope('ProfileUpdated', { customerId, version: 1, changedFields: ['aumMinor'], features }, { eventId: `ld-p-${i}`, source: 'bench', customerId, occurredAt: seededAt }) };
});
await produceAll(kafka, profiles, (r) => r.topic);
const factsKey = (id) => `${svc.env.MONGODB_DATABASE}:cmp:facts:${id}`;
for (let tick = 0; ; tick++) {
  const batch = redis.pipeline();
  for (let i = 0; i < LEADS; i++) batch.hexists(factsKey(leadCustomer(i)), 'v');
  const kept = (await batch.exec()).filter(([, v]) => v === 1).length;
  if (kept >= LEADS) break;
  if (tick % 20 === 19) log(`… ${kept} of ${LEADS} profiles kept`);
  await pause(500);
}
const inquiries = Array.from({ length: LEADS }, (_, i) => {
  const customerId = leadCustomer(i);
  const at = new Date().toISOString();
  const payload = { sourceSystem: 'bench-cc', sourceCustomerId: `CB-${customerId}`, interactionId: `LDI-${i}`, channel: 'CALL_CENTER', kind: 'INQUIRY', text: '想了解理财产品' };
  return { topic: `${svc.prefix}crm.interaction.v1`, key: customerId, envelope: newEnvelope('InteractionRecorded', payload, { eventId: `ld-i-${i}`, source: 'bench', customerId, occurredAt: at }) };
});
const leadStart = process.hrtime.bigint();
await produceAll(kafka, inquiries, (r) => r.topic);
await until(`${LEADS} leads assigned`, () => counted.LeadAssigned >= LEADS);
const leadSeconds = seconds(leadStart);

/** One lead's round trips done raw: the lease, the lead read, the assignment's count, the fence, the write, the index, the outbox cleared, the release. */
async function rawAssignments(n, concurrency) {
  const raw = mongo.collection('raw_leads');
  const doc = (await mongo.collection('leads').findOne({})) ?? {};
  const key = (k) => `${svc.env.MONGODB_DATABASE}:raw:${k}`;
  let next = 0;
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let i = next++; i < n; i = next++) {
      const id = `raw-lead-${i}`;
      const lock = key(`lead-lock:${id}`);
      const token = randomUUID();
      await redis.set(lock, token, 'PX', 15_000, 'NX');
      await raw.findOne({ _id: id });
      await redis.eval("redis.call('HINCRBY', KEYS[1], ARGV[1], 1) redis.call('SADD', KEYS[2], ARGV[2]) return redis.call('HSET', KEYS[3], ARGV[2], ARGV[1])", 3, key('loads'), key(`leads:RM-${i % RMS}`), key('owner'), `RM-${i % RMS}`, id);
      await redis.eval("if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end return redis.call('PEXPIRE', KEYS[1], 15000)", 1, lock, token);
      await raw.insertOne({ ...doc, _id: id, rev: 1 });
      await redis.multi().zadd(key('ASSIGNED'), 45, id).zadd(key('OPEN'), 45, id).exec();
      await raw.replaceOne({ _id: id }, { ...doc, _id: id, rev: 2 });
      await redis.eval("if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end return redis.call('DEL', KEYS[1])", 1, lock, token);
    }
  }));
  return seconds(start);
}
const leadRaw = await rawAssignments(LEADS, 16);
log(`lead assignments: ${LEADS.toLocaleString('en-US')} wealth inquiries of customers known to campaign, over ${BRANCHES} branches of ${RMS} RMs → LeadAssigned in ${leadSeconds.toFixed(1)} s: ${rate(LEADS, leadSeconds)}`);
log(`  ceiling: the same round trips raw (lease, the lead read and written twice by _id, the count, the index), 16 at a time: ${leadRaw.toFixed(1)} s, ${rate(LEADS, leadRaw)} → ${((100 * leadRaw) / leadSeconds).toFixed(1)} %`);
log(`campaign peak RSS ${svc.rss().peakMb.toFixed(0)} MB`);

await reader.stop();
await svc.stop();
redis.disconnect();
if (mongo.name.startsWith('bench_')) await mongo.dropDatabase();
await mongo.close();
process.exit(0);

/**
 * `npm run bench -- ingest` (issue 3): ingest's throughput through Kafka and HTTP next to
 * its ceiling measured in the same run — a raw kafkajs produce → consume of the same
 * records — and the peak RSS of the ingest process during a 1,000,000-row CSV import.
 *
 * The service runs as a real process (dist/apps/ingest/main.js) against the real servers
 * (KAFKA_BROKERS / MONGODB_URI / REDIS_URL, else tools/infra). Every phase uses its own
 * topics prefix, database and records, so phases never see each other's duplicates.
 *
 *   BENCH_N            records per throughput phase      (default 20,000)
 *   BENCH_CSV_ROWS     rows of the CSV import            (default 1,000,000; 0 skips it)
 *   BENCH_HTTP_PARALLEL requests in flight over HTTP     (default 4)
 *   BENCH_NODE_OPTIONS  the service's NODE_OPTIONS      (default: the Dockerfile's)
 */
import { execFileSync, spawn } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { Kafka, logLevel } = require('kafkajs');
const { SignJWT } = require('jose');
const { residentId } = require(path.join(root, 'libs/events/dist/fixtures/event-samples.js'));

const N = Number(process.env.BENCH_N ?? 20_000);
const CSV_ROWS = Number(process.env.BENCH_CSV_ROWS ?? 1_000_000);
const HTTP_PARALLEL = Number(process.env.BENCH_HTTP_PARALLEL ?? 4);
const log = (m) => console.log(`[bench] ${m}`);

/** The services run as the production image runs them: its NODE_OPTIONS (the V8 heap cap), read from the Dockerfile. */
const PRODUCTION_NODE_OPTIONS = /NODE_OPTIONS="([^"]*)"/.exec(readFileSync(path.join(root, 'Dockerfile'), 'utf8'))?.[1] ?? '';

function servers() {
  if (process.env.KAFKA_BROKERS && process.env.MONGODB_URI && process.env.REDIS_URL) return process.env;
  const script = path.join(root, 'tools/infra/infra.sh');
  execFileSync('bash', [script, 'up'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const env = {};
  for (const line of execFileSync('bash', [script, 'env'], { encoding: 'utf8' }).split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) env[m[1]] = m[2];
  }
  return env;
}

const run = `bench${Date.now().toString(36)}`;
const at = new Date().toISOString();

/** N core records: one customer for every 10 records, then its transactions, keyed by source reference. */
function records(n, tag) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const c = Math.floor(i / 10);
    const ref = `${tag}-${c}`;
    const key = `bench-core:${ref}`;
    if (i % 10 === 0) {
      const id = residentId(`19${String(50 + (c % 50)).padStart(2, '0')}0${(c % 9) + 1}${String((c % 28) + 1).padStart(2, '0')}`, String(110000 + (Math.floor(c / 1000) % 900)), String(c % 1000).padStart(3, '0'));
      out.push({
        topic: 'core.customers.v1',
        key,
        envelope: {
          eventId: `${tag}-e${i}`,
          type: 'CustomerUpserted',
          schemaVersion: 1,
          occurredAt: at,
          source: 'bench-core',
          payload: {
            sourceSystem: 'bench-core', sourceCustomerId: ref, idType: 'RESIDENT_ID', idNumber: id,
            phone: `13${String(100_000_000 + c).slice(-9)}`, name: `客户${c}`, customerType: 'PERSONAL', branchId: `BR${c % 20}`,
            consents: { marketing: { sms: true, app_push: true }, profiling: true },
          },
        },
      });
    } else {
      out.push({
        topic: 'core.transactions.v1',
        key,
        envelope: {
          eventId: `${tag}-e${i}`,
          type: 'TransactionPosted',
          schemaVersion: 1,
          occurredAt: at,
          source: 'bench-core',
          payload: {
            sourceSystem: 'bench-core', sourceCustomerId: ref, transactionId: `${tag}-t${i}`, productId: `P-${c}`, productType: 'DEPOSIT_CURRENT',
            direction: i % 3 ? 'DEBIT' : 'CREDIT', amount: `${(i % 5000) + 1}.${String(i % 100).padStart(2, '0')}`, currency: 'CNY',
            channel: 'MOBILE', category: i % 7 ? 'PURCHASE' : 'PAYROLL', mcc: '5411', merchantName: '示例商户',
          },
        },
      });
    }
  }
  return out;
}

function kafkaFor(brokers, clientId) {
  return new Kafka({ clientId, brokers: brokers.split(','), logLevel: logLevel.NOTHING, retry: { retries: 8 } });
}

async function createTopics(kafka, topics) {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: 3 })) }).catch(() => undefined);
  for (let i = 0; i < 100; i++) {
    try {
      const md = await admin.fetchTopicMetadata({ topics });
      if (md.topics.every((t) => t.partitions.length && t.partitions.every((p) => p.leader >= 0))) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  await admin.disconnect();
}

async function produceAll(kafka, list, topicOf) {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (let i = 0; i < list.length; i += 1000) {
    const byTopic = new Map();
    for (const r of list.slice(i, i + 1000)) {
      const t = topicOf(r);
      if (!byTopic.has(t)) byTopic.set(t, []);
      byTopic.get(t).push({ key: r.key, value: JSON.stringify(r.envelope) });
    }
    await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
  }
  await producer.disconnect();
}

/** Resolves when `count` records have been read from `topics` (from the beginning). */
async function consumeCount(kafka, topics, count) {
  const consumer = kafka.consumer({ groupId: `${run}-reader-${randomBytes(3).toString('hex')}`, maxBytesPerPartition: 4 * 1024 * 1024 });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  let seen = 0;
  let done;
  const finished = new Promise((r) => (done = r));
  await consumer.run({
    eachBatchAutoResolve: true,
    eachBatch: async ({ batch }) => {
      seen += batch.messages.length;
      if (seen >= count) done();
    },
  });
  return { finished, stop: () => consumer.disconnect(), seen: () => seen };
}

async function rawCeiling(env, list) {
  const kafka = kafkaFor(env.KAFKA_BROKERS, `${run}-raw`);
  const topics = [`${run}.raw.customers`, `${run}.raw.transactions`];
  await createTopics(kafka, topics);
  const reader = await consumeCount(kafka, topics, list.length);
  const start = process.hrtime.bigint();
  await produceAll(kafka, list, (r) => (r.topic === 'core.customers.v1' ? topics[0] : topics[1]));
  await reader.finished;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await reader.stop();
  return seconds;
}

function serviceEnv(env, phase) {
  return {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS ?? PRODUCTION_NODE_OPTIONS,
    LOG_LEVEL: 'warn',
    PORT: String(39000 + Math.floor(Math.random() * 1000)),
    KAFKA_BROKERS: env.KAFKA_BROKERS,
    MONGODB_URI: env.MONGODB_URI,
    REDIS_URL: env.REDIS_URL,
    KAFKA_TOPIC_PREFIX: `${run}.${phase}.`,
    KAFKA_GROUP_ID: `${run}-${phase}-ingest`,
    MONGODB_DATABASE: `bench_${run}_${phase}`,
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret',
    FIELD_ENCRYPTION_MASTER_KEY: randomBytes(32).toString('base64'),
    BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
  };
}

async function startIngest(env, phase) {
  const senv = serviceEnv(env, phase);
  const child = spawn(process.execPath, [path.join(root, 'dist/apps/ingest/main.js')], { env: senv, stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${senv.PORT}`;
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  // Wait for the consumer group (topics are created by the service before it joins).
  const kafka = kafkaFor(env.KAFKA_BROKERS, `${run}-admin`);
  const admin = kafka.admin();
  await admin.connect();
  for (let i = 0; i < 600; i++) {
    const { groups } = await admin.describeGroups([senv.KAFKA_GROUP_ID]);
    if (groups[0]?.state === 'Stable') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await admin.disconnect();
  const token = await new SignJWT({ roles: ['SYSTEM'], branchId: 'HQ' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('bench')
    .setExpirationTime('2h')
    .sign(new TextEncoder().encode(senv.JWT_SECRET));
  return {
    url,
    token,
    prefix: senv.KAFKA_TOPIC_PREFIX,
    pid: child.pid,
    rss: () => procStatus(child.pid),
    async stop() {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** VmRSS (now) and VmHWM (peak) of a process, in MB. */
function procStatus(pid) {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(text)?.[1] ?? 0);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

async function throughKafka(env, list) {
  const svc = await startIngest(env, 'kafka');
  const kafka = kafkaFor(env.KAFKA_BROKERS, `${run}-kafka`);
  const reader = await consumeCount(kafka, [`${svc.prefix}crm.customer.v1`, `${svc.prefix}crm.transaction.v1`], list.length);
  const start = process.hrtime.bigint();
  await produceAll(kafka, list, (r) => svc.prefix + r.topic);
  await reader.finished;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await reader.stop();
  const mem = svc.rss();
  await svc.stop();
  return { seconds, mem };
}

async function throughHttp(env, list) {
  const svc = await startIngest(env, 'http');
  const kafka = kafkaFor(env.KAFKA_BROKERS, `${run}-http`);
  const reader = await consumeCount(kafka, [`${svc.prefix}crm.customer.v1`, `${svc.prefix}crm.transaction.v1`], list.length);
  const bodies = [];
  for (let i = 0; i < list.length; i += 1000) bodies.push(JSON.stringify(list.slice(i, i + 1000).map((r) => r.envelope)));
  let accepted = 0;
  const start = process.hrtime.bigint();
  let next = 0;
  await Promise.all(
    Array.from({ length: HTTP_PARALLEL }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        const res = await fetch(`${svc.url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${svc.token}` }, body });
        const answer = await res.json();
        if (res.status !== 202) throw new Error(`HTTP ${res.status}: ${JSON.stringify(answer).slice(0, 300)}`);
        accepted += answer.accepted;
      }
    }),
  );
  await reader.finished;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await reader.stop();
  await svc.stop();
  if (accepted !== list.length) throw new Error(`HTTP accepted ${accepted} of ${list.length}`);
  return { seconds };
}

async function csvImport(env, rows) {
  const dir = mkdtempSync(path.join(tmpdir(), 'meridian-bench-'));
  const file = path.join(dir, 'customers.csv');
  const out = createWriteStream(file);
  out.write('sourceSystem,sourceCustomerId,idType,idNumber,name,customerType,branchId,phone,consent_sms,consent_profiling\n');
  for (let i = 0; i < rows; i++) {
    const id = residentId(`19${String(50 + (i % 50)).padStart(2, '0')}${String((i % 12) + 1).padStart(2, '0')}${String((Math.floor(i / 12) % 28) + 1).padStart(2, '0')}`, String(110000 + (Math.floor(i / 1000) % 900)), String(i % 1000).padStart(3, '0'));
    if (!out.write(`bench-csv,CSV-${i},RESIDENT_ID,${id},客户${i},PERSONAL,BR${i % 20},13${String(100_000_000 + i).slice(-9)},yes,1\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  const bytes = statSync(file).size;
  const svc = await startIngest(env, 'csv');
  const before = svc.rss();
  let peak = before.rssMb;
  let peakHeap = 0;
  const sampler = setInterval(() => {
    try {
      peak = Math.max(peak, svc.rss().rssMb);
    } catch {}
  }, 200);
  // The V8 heap in use, from the service's own /metrics: tells a leak (it climbs) from a lazy collector (RSS climbs, heap does not).
  const heapSampler = setInterval(async () => {
    try {
      const text = await (await fetch(`${svc.url}/metrics`)).text();
      const used = Number(/^meridian_nodejs_heap_size_used_bytes\{[^}]*\} (\d+)/m.exec(text)?.[1] ?? 0);
      peakHeap = Math.max(peakHeap, used / 1048576);
    } catch {}
  }, 1000);
  const start = process.hrtime.bigint();
  const res = await fetch(`${svc.url}/v1/imports/customers`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv', authorization: `Bearer ${svc.token}` },
    body: createReadStream(file),
    duplex: 'half',
  });
  const summary = await res.json();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  clearInterval(sampler);
  clearInterval(heapSampler);
  const after = svc.rss();
  await svc.stop();
  rmSync(dir, { recursive: true, force: true });
  if (res.status !== 200) throw new Error(`import answered ${res.status}: ${JSON.stringify(summary).slice(0, 300)}`);
  return { seconds, bytes, summary, before, peakMb: Math.max(peak, after.peakMb), peakHeapMb: peakHeap };
}

const env = servers();
log(`ingest runs with NODE_OPTIONS="${process.env.BENCH_NODE_OPTIONS ?? PRODUCTION_NODE_OPTIONS}" (the Dockerfile's; BENCH_NODE_OPTIONS overrides)`);
log(`node ${process.version}; ${N} records per throughput phase (10 % CustomerUpserted, 90 % TransactionPosted); servers ${env.KAFKA_BROKERS} ${env.MONGODB_URI} ${env.REDIS_URL}`);
const raw = await rawCeiling(env, records(N, `${run}-raw`));
log(`raw kafkajs produce → consume      ${(N / raw).toFixed(0).padStart(7)} rec/s   (${raw.toFixed(2)} s)   the ceiling`);
const viaKafka = await throughKafka(env, records(N, `${run}-k`));
log(`ingest via Kafka (core → crm)     ${(N / viaKafka.seconds).toFixed(0).padStart(7)} rec/s   (${viaKafka.seconds.toFixed(2)} s)   ${((raw / viaKafka.seconds) * 100).toFixed(1)} % of the ceiling   [RSS ${viaKafka.mem.rssMb.toFixed(0)} MB]`);
const viaHttp = await throughHttp(env, records(N, `${run}-h`));
log(`ingest via HTTP (POST /v1/events) ${(N / viaHttp.seconds).toFixed(0).padStart(7)} rec/s   (${viaHttp.seconds.toFixed(2)} s)   ${((raw / viaHttp.seconds) * 100).toFixed(1)} % of the ceiling   [${HTTP_PARALLEL} requests of 1,000 in flight]`);
if (CSV_ROWS > 0) {
  const csv = await csvImport(env, CSV_ROWS);
  log(
    `CSV import of ${CSV_ROWS.toLocaleString('en')} rows (${(csv.bytes / 1e6).toFixed(0)} MB): ${(CSV_ROWS / csv.seconds).toFixed(0)} rows/s (${csv.seconds.toFixed(0)} s); ` +
      `accepted ${csv.summary.accepted}, duplicate ${csv.summary.duplicate}, rejected ${csv.summary.rejected}; ` +
      `ingest RSS ${csv.before.rssMb.toFixed(0)} MB before, peak ${csv.peakMb.toFixed(0)} MB (target < 300 MB: ${csv.peakMb < 300 ? 'met' : 'NOT met'}); V8 heap in use at most ${csv.peakHeapMb.toFixed(0)} MB`,
  );
}
log('databases bench_* and topics bench* are left on the servers; `npm run infra:down && bash tools/infra/infra.sh clean` removes them');

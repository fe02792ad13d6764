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
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SERVICE_NODE_OPTIONS, consumeCount, createTopics, kafkaFor, log, produceAll, root, run, servers, startService } from './lib.mjs';

const require = createRequire(import.meta.url);
const { residentId } = require(path.join(root, 'libs/events/dist/fixtures/event-samples.js'));

const N = Number(process.env.BENCH_N ?? 20_000);
const CSV_ROWS = Number(process.env.BENCH_CSV_ROWS ?? 1_000_000);
const HTTP_PARALLEL = Number(process.env.BENCH_HTTP_PARALLEL ?? 4);

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

async function throughKafka(env, list) {
  const svc = await startService(env, 'ingest', 'kafka');
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
  const svc = await startService(env, 'ingest', 'http');
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
  const svc = await startService(env, 'ingest', 'csv');
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
log(`ingest runs with NODE_OPTIONS="${SERVICE_NODE_OPTIONS}" (the Dockerfile's; BENCH_NODE_OPTIONS overrides)`);
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

/**
 * decode() of CONTRACTS.md envelopes (UTF-8 check, JSON, envelope + payload validation)
 * against its ceiling: JSON.parse of the same bytes. The ratio is what validation costs.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { decode, encode } = require('../../libs/events/dist/index.js');
const { sampleEnvelope } = require('../../libs/events/dist/fixtures/event-samples.js');

const N = Number(process.env.BENCH_N ?? 20_000);
const cases = [
  ['core.customers.v1', 'CustomerUpserted'],
  ['core.transactions.v1', 'TransactionPosted'],
  ['crm.profile.v1', 'ProfileUpdated'],
];

function timeIt(fn) {
  for (let i = 0; i < Math.min(2_000, N); i++) fn(i); // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < N; i++) fn(i);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

console.log(`codec bench: ${N} records per case, node ${process.version}`);
for (const [topic, type] of cases) {
  const bytes = encode(sampleEnvelope(topic, type));
  const ceiling = timeIt(() => JSON.parse(bytes.toString('utf8')));
  const heapBefore = process.memoryUsage().heapUsed;
  const measured = timeIt(() => {
    const r = decode(topic, bytes);
    if (!r.ok) throw new Error(r.message);
  });
  const heapAfter = process.memoryUsage().heapUsed;
  console.log(
    `${type.padEnd(18)} decode ${(N / measured).toFixed(0).padStart(8)} rec/s | JSON.parse ceiling ${(N / ceiling)
      .toFixed(0)
      .padStart(8)} rec/s | ratio ${(measured / ceiling).toFixed(1)}× the ceiling's time | heap Δ ${((heapAfter - heapBefore) / 1e6).toFixed(1)} MB`,
  );
}

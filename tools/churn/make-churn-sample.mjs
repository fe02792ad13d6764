/**
 * Writes apps/segmentation/data/churn-sample.jsonl, the labelled history `npm run train:churn`
 * runs on out of the box (issue 10). The demo's simulated bank (tools/demo/simulated-bank.mjs)
 * sends one morning of customers and transactions and has no churners, so this models them:
 * for each customer, one feature snapshot at a month end (the ProfileFeatures fields the churn
 * model reads) and whether they left within the next 90 days.
 *
 * How churners differ (and overlap, so the task is not trivially separable): about 18 % churn.
 * Churners more often went quiet (no activity for weeks or months), saw transactions fall
 * against the 60 days before, moved AUM out, closed products, complained, rated service low
 * and logged in less. Stayers show each of these too, less often; some of either have no
 * app, no CSAT or no activity on record. Complaints and AUM outflow weigh more, app logins
 * less, than the shipped default weights assume, so a refit has something to find.
 *
 *   node tools/churn/make-churn-sample.mjs [--rows 1600] [--seed 20261201] [--out path]
 *
 * Deterministic: the same seed writes the same file.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({ options: { rows: { type: 'string', default: '1600' }, seed: { type: 'string', default: '20261201' }, out: { type: 'string', default: path.join(root, 'apps/segmentation/data/churn-sample.jsonl') } } });

/** mulberry32: a small seeded generator, so the sample is reproducible. */
function generator(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = generator(Number(values.seed));
const chance = (p) => random() < p;
const between = (lo, hi) => lo + (hi - lo) * random();
/** Poisson by inversion: small counts (complaints, closed products, transactions per month). */
function poisson(mean) {
  let k = 0;
  let p = Math.exp(-mean);
  let s = p;
  const u = random();
  while (u > s && k < 500) p *= mean / ++k, (s += p);
  return k;
}
const logNormal = (median, spread) => median * Math.exp(spread * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()));

const MONTH_ENDS = ['2026-03-31', '2026-04-30', '2026-05-31', '2026-06-30'];
const DAY_MS = 86_400_000;

function snapshot(churned) {
  const asOfDay = MONTH_ENDS[Math.floor(random() * MONTH_ENDS.length)];
  const asOf = `${asOfDay}T23:59:59+08:00`;
  const monthlyTxns = logNormal(12, 0.8);
  const txnCountPrior60d = poisson(2 * monthlyTxns);
  // How much of their usual activity the last 30 days kept.
  const kept = churned ? (chance(0.4) ? between(0, 0.7) : between(0.5, 1.2)) : chance(0.2) ? between(0.3, 0.9) : between(0.7, 1.3);
  const txnCount30d = poisson(monthlyTxns * kept);
  // Days since the last activity of any kind; a few have none on record.
  const quiet = churned ? (chance(0.3) ? between(20, 250) : between(0, 30)) : chance(0.12) ? between(20, 200) : between(0, 20);
  const lastActivityAt = chance(0.03) ? undefined : new Date(Date.parse(`${asOfDay}T12:00:00+08:00`) - Math.floor(quiet) * DAY_MS).toISOString();
  const aumMinor = Math.round(logNormal(8_000_000, 1.3));
  // Share of AUM moved out (or in) over the last 30 days.
  const moved = churned ? (chance(0.35) ? -between(0.1, 0.9) : between(-0.15, 0.1)) : chance(0.12) ? -between(0.1, 0.6) : between(-0.1, 0.15);
  const aumBefore = Math.round(aumMinor / (1 + moved));
  const features = {
    lastActivityAt,
    txnCount30d,
    txnCountPrior60d,
    aumMinor,
    aumChange30dMinor: aumMinor - aumBefore,
    productsClosed90d: poisson(churned ? 0.45 : 0.15),
    complaints90d: poisson(churned ? 0.5 : 0.12),
  };
  if (chance(0.55)) features.latestCsat = churned ? (chance(0.5) ? 1 + Math.floor(between(0, 3)) : 3 + Math.floor(between(0, 3))) : chance(0.8) ? 4 + Math.floor(between(0, 2)) : 2 + Math.floor(between(0, 2));
  if (chance(0.7)) {
    features.appLoginsPrior30d = poisson(logNormal(8, 0.7));
    features.appLogins30d = poisson(features.appLoginsPrior30d * (churned ? between(0.4, 1.1) : between(0.6, 1.2)));
  }
  return { asOf, features };
}

const rows = [];
for (let i = 0; i < Number(values.rows); i++) {
  const churned = chance(0.18);
  const { asOf, features } = snapshot(churned);
  rows.push(JSON.stringify({ customerId: `SIM-${String(100000 + i)}`, asOf, features, churned }));
}
writeFileSync(values.out, `${rows.join('\n')}\n`);
console.log(`wrote ${rows.length} rows (${rows.filter((r) => r.endsWith('true}')).length} churned) to ${path.relative(root, values.out)}`);

/**
 * Segmentation in `npm run demo` (issue 10, point 8): after the simulated bank's morning,
 * the tier and lifecycle distribution (GET /v1/analytics/tiers, /lifecycle), three example
 * segments with their sizes (POST /v1/segments, back-filled over the customers already
 * there), and one customer's moves as crm.segment.v1 announced them — NEW → ACTIVE as its
 * history arrives, then a tier upgrade when its balance grows.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { until, watchTopic } from './demo-kafka.mjs';
import { root, signDemoToken } from './demo-state.mjs';

const require = createRequire(import.meta.url);
const { residentId } = require(path.join(root, 'libs/events/dist/fixtures/event-samples.js'));

const log = (m) => console.log(`[demo] ${m}`);
const DAY = 86_400_000;

/** Every crm.segment.v1 event from now on, kept in memory for the demo to read. */
export const watchSegments = (brokers) => watchTopic(brokers, 'crm.segment.v1');

/** The simulated bank's story customer: a first account 120 days back, history since, then a big deposit. */
async function tellStory(ingestUrl, jwtSecret, watch) {
  const token = await signDemoToken(jwtSecret, { roles: ['SYSTEM'], branchId: 'HQ', sub: 'core-banking-publisher', ttl: '1h' });
  const post = async (events) => (await (await fetch(`${ingestUrl}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(events) })).json()).results;
  const run = Date.now().toString(36);
  const ref = { sourceSystem: 'core-banking', sourceCustomerId: `STORY-${run}` };
  const at = (daysAgo) => new Date(Date.now() - daysAgo * DAY).toISOString();
  const envelope = (type, occurredAt, payload, n) => ({ eventId: `demo-story-${run}-${n}`, type, schemaVersion: 1, occurredAt, source: 'core-banking', payload: { ...ref, ...payload } });
  const seq = String(100 + (Date.now() % 800));
  const [opened] = await post([
    envelope('CustomerUpserted', at(120), { idType: 'RESIDENT_ID', idNumber: residentId('19920315', '310101', seq), phone: `139${String(Date.now()).slice(-8)}`, name: '赵敏', customerType: 'PERSONAL', branchId: 'SH001', rmId: 'RM1', consents: { marketing: { sms: true, app_push: true }, profiling: true } }, 1),
  ]);
  const customerId = opened.customerId;
  const account = { productId: `STORY-${run}-CUR`, productType: 'DEPOSIT_CURRENT', productCode: 'CUR01' };
  await post([envelope('ProductOpened', at(120), { ...account, openedAt: at(120) }, 2), envelope('BalanceSnapshot', at(120), { ...account, balance: '20000.00', currency: 'CNY' }, 3)]);
  const moves = () => watch.events.filter((e) => e.customerId === customerId);
  const reached = (stage) => moves().some((e) => e.type === 'LifecycleStageChanged' && e.payload.to === stage);
  await until('the story customer NEW', () => reached('NEW'));
  await post([envelope('TransactionPosted', at(5), { transactionId: `STORY-${run}-T1`, productId: account.productId, productType: 'DEPOSIT_CURRENT', direction: 'DEBIT', amount: '860.00', currency: 'CNY', channel: 'MOBILE', category: 'PURCHASE' }, 4)]);
  await until('NEW → ACTIVE', () => reached('ACTIVE'));
  await post([envelope('BalanceSnapshot', at(0), { ...account, balance: '800000.00', currency: 'CNY' }, 5)]);
  await until('the tier upgrade', () => moves().some((e) => e.type === 'TierChanged' && e.payload.from));
  return { customerId, moves: moves() };
}

const EXAMPLE_SEGMENTS = [
  { name: 'Demo: gold and above', description: 'Tier GOLD or DIAMOND', rule: { tier: { $in: ['GOLD', 'DIAMOND'] } } },
  { name: 'Demo: new customers reachable by SMS', description: 'Lifecycle NEW, SMS consent: the welcome journey', rule: { $and: [{ lifecycleStage: 'NEW' }, { 'consents.marketing.sms': true }] } },
  { name: 'Demo: fund holders below gold', description: 'Hold a FUND, tier MASS or SILVER: wealth upsell', rule: { productsHeld: 'FUND', tier: { $in: ['MASS', 'SILVER'] } } },
];

/** Defines the example segments once (a later run finds them), and waits for their back-fills. */
async function exampleSegments(url, token) {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const existing = await (await fetch(`${url}/v1/segments`, { headers })).json();
  const out = [];
  for (const s of EXAMPLE_SEGMENTS) {
    let found = existing.find((e) => e.name === s.name && !e.deletedAt);
    if (!found) {
      const res = await fetch(`${url}/v1/segments`, { method: 'POST', headers, body: JSON.stringify(s) });
      if (res.status !== 201) throw new Error(`POST /v1/segments answered ${res.status}: ${await res.text()}`);
      found = await res.json();
    }
    const done = await until(`the back-fill of ${s.name}`, async () => {
      const r = await (await fetch(`${url}/v1/segments/${found.id}`, { headers })).json();
      return r.backfill?.state === 'DONE' || r.backfill?.finishedAt ? r : undefined;
    }, 120_000);
    out.push(done);
  }
  return out;
}

function bar(share) {
  return '█'.repeat(Math.round(share * 30)).padEnd(30, '·');
}

/** The segmentation part of the demo; `customers` is how many the simulated bank sent (for the wait). */
export async function showSegmentation({ segmentationUrl, ingestUrl, jwtSecret, watch, customers }) {
  const token = await signDemoToken(jwtSecret, { roles: ['ADMIN', 'MARKETING', 'EXECUTIVE'], branchId: 'HQ', sub: 'demo-marketer', ttl: '1h' });
  const get = async (route) => (await fetch(`${segmentationUrl}${route}`, { headers: { authorization: `Bearer ${token}` } })).json();

  log('segmentation: one customer’s moves, as crm.segment.v1 announced them:');
  const story = await tellStory(ingestUrl, jwtSecret, watch);
  for (const e of story.moves.filter((m) => ['TierChanged', 'LifecycleStageChanged'].includes(m.type))) {
    log(`  ${story.customerId} ${e.type.padEnd(22)} ${(e.payload.from ?? '—').padEnd(7)} → ${e.payload.to.padEnd(7)} ${e.payload.reason}`);
  }
  const tags = story.moves.filter((m) => m.type === 'SegmentMembershipChanged' && m.payload.change === 'ENTERED').map((m) => m.payload.segmentId);
  log(`  and entered ${tags.length} catalogue tags and segments: ${tags.slice(0, 8).join(', ')}${tags.length > 8 ? ', …' : ''}`);

  // Every customer of the morning evaluated: the counters kept as changes happen reach the bank's size.
  const tiers = await until('the tier counters', async () => {
    const t = await get('/v1/analytics/tiers');
    return t.customers >= customers ? t : undefined;
  }, 120_000);
  log(`tier distribution (GET /v1/analytics/tiers, ${tiers.customers} customers):`);
  for (const row of tiers.rows) log(`  ${row.value.padEnd(8)} ${bar(row.share)} ${String(row.customers).padStart(5)}  AUM ${(row.aumMinor / 100).toLocaleString('en-US', { maximumFractionDigits: 0 })} CNY`);
  const stages = await get('/v1/analytics/lifecycle');
  log('lifecycle distribution (GET /v1/analytics/lifecycle):');
  for (const row of stages.rows) log(`  ${row.value.padEnd(8)} ${bar(row.share)} ${String(row.customers).padStart(5)}`);

  log('three example segments (POST /v1/segments, back-filled over the customers already there):');
  for (const s of await exampleSegments(segmentationUrl, token)) log(`  ${String(s.size).padStart(5)} members  ${s.name}: ${JSON.stringify(s.rule)}`);
}

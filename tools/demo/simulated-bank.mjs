/**
 * A simulated bank's morning, driven through ingest (issue 3): core banking sends its
 * customers, the card system sends some of the same people under its own references,
 * transactions follow, a batch is re-sent after a timeout, and some records are bad.
 * Prints what ingest answered: one customer per person, duplicates recognised, bad records
 * rejected with the field and the rule, and the data-quality report.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { root, signDemoToken } from './demo-state.mjs';

// The built events library: demo.mjs imports this module only after it has built the workspace.
const { residentId } = createRequire(import.meta.url)(path.join(root, 'libs/events/dist/fixtures/event-samples.js'));

const log = (m) => console.log(`[demo] ${m}`);
let seq = 0;
const at = () => new Date().toISOString();
const envelope = (type, payload) => ({ eventId: `demo-${Date.now().toString(36)}-${++seq}`, type, schemaVersion: 1, occurredAt: at(), source: payload.sourceSystem, payload });

function customer(i, source, ref) {
  const birth = `19${60 + (i % 40)}${String((i % 12) + 1).padStart(2, '0')}${String((i % 28) + 1).padStart(2, '0')}`;
  return envelope('CustomerUpserted', {
    sourceSystem: source,
    sourceCustomerId: ref,
    idType: 'RESIDENT_ID',
    idNumber: residentId(birth, '310101', String(100 + (i % 900))),
    phone: `138${String(10_000_000 + i).slice(-8)}`,
    name: ['王芳', '李娜', '张伟', '刘洋', '陈静', '杨磊'][i % 6] + i,
    customerType: 'PERSONAL',
    branchId: `SH${String(i % 8).padStart(3, '0')}`,
    rmId: `RM${i % 12}`,
    consents: { marketing: { sms: i % 3 !== 0, app_push: true, email: i % 2 === 0 }, profiling: true },
  });
}

function transaction(i, source, ref) {
  return envelope('TransactionPosted', {
    sourceSystem: source,
    sourceCustomerId: ref,
    transactionId: `T${i}`,
    productId: `${ref}-CUR`,
    productType: source === 'card-system' ? 'CREDIT_CARD' : 'DEPOSIT_CURRENT',
    direction: i % 4 === 0 ? 'CREDIT' : 'DEBIT',
    amount: `${(i * 37) % 5000 + 10}.${String(i % 100).padStart(2, '0')}`,
    currency: i % 25 === 0 ? 'USD' : 'CNY',
    channel: ['MOBILE', 'POS', 'ONLINE', 'ATM'][i % 4],
    category: i % 4 === 0 ? 'PAYROLL' : 'PURCHASE',
  });
}

const wrongCheckCharacter = (id) => id.slice(0, 17) + (id[17] === '0' ? '1' : '0');

/** Returns one customer core banking sent (id, phone, branch, RM), for the demo to show through profile. */
export async function driveIngest(url, jwtSecret) {
  const token = await signDemoToken(jwtSecret, { roles: ['SYSTEM', 'AUDITOR'], branchId: 'HQ', sub: 'core-banking-publisher', ttl: '1h' });
  const post = async (events) => {
    const res = await fetch(`${url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(events) });
    return res.json();
  };
  const say = (what, a) => log(`${what.padEnd(58)} accepted ${String(a.accepted).padStart(4)}  duplicate ${String(a.duplicate).padStart(4)}  rejected ${String(a.rejected).padStart(3)}`);

  log('a simulated bank sends its morning to ingest (POST /v1/events):');
  const core = Array.from({ length: 300 }, (_, i) => customer(i, 'core-banking', `CB${100000 + i}`));
  const coreAnswer = await post(core);
  if (!Array.isArray(coreAnswer.results)) throw new Error(`ingest answered ${JSON.stringify(coreAnswer)}`);
  say('core banking: 300 customers', coreAnswer);
  const cards = Array.from({ length: 120 }, (_, i) => ({ ...customer(i, 'card-system', `CARD-${9000 + i}`), eventId: `demo-card-${Date.now().toString(36)}-${i}` }));
  const cardAnswer = await post(cards);
  say('card system: 120 of the same people, its own references', cardAnswer);
  const same = cardAnswer.results.filter((r, i) => r.customerId === coreAnswer.results[i].customerId).length;
  log(`  → ${same} of 120 card customers resolved to the customer core banking created (national ID + phone → one person)`);

  // Accounts and balances: a bank's spread of value tiers (DOMAIN.md), opened over the last months.
  const products = core.flatMap((c, i) => {
    const ref = c.payload.sourceCustomerId;
    const openedAt = new Date(Date.now() - (i % 200) * 86_400_000).toISOString();
    const balance = i % 50 === 0 ? '7000000.00' : i % 10 === 0 ? '800000.00' : i % 3 === 0 ? '80000.00' : `${8000 + i}.00`;
    const account = { sourceSystem: 'core-banking', sourceCustomerId: ref, productId: `${ref}-CUR`, productType: 'DEPOSIT_CURRENT', productCode: 'CUR01' };
    const out = [envelope('ProductOpened', { ...account, openedAt }), envelope('BalanceSnapshot', { ...account, balance, currency: 'CNY' })];
    if (i % 4 === 0) {
      const fund = { ...account, productId: `${ref}-FUND`, productType: 'FUND', productCode: 'FND01' };
      out.push(envelope('ProductOpened', { ...fund, openedAt }), envelope('BalanceSnapshot', { ...fund, balance: `${(i % 7) * 10000 + 5000}.00`, currency: 'CNY' }));
    }
    return out;
  });
  say(`${products.length} account openings and balances`, await post(products));

  const txns = Array.from({ length: 1000 }, (_, i) => (i % 3 === 0 ? transaction(i, 'card-system', `CARD-${9000 + (i % 120)}`) : transaction(i, 'core-banking', `CB${100000 + (i % 300)}`)));
  say('1,000 transactions from both systems', await post(txns));
  say('the same 1,000 re-sent after a timeout', await post(txns));

  const bad = [
    { ...customer(900, 'branch-upload', 'BU-1'), payload: { ...customer(900, 'branch-upload', 'BU-1').payload, idNumber: wrongCheckCharacter(residentId('19600101', '310101', '123')) } },
    { ...transaction(901, 'core-banking', 'CB100001'), payload: { ...transaction(901, 'core-banking', 'CB100001').payload, amount: '12.345' } },
    { ...transaction(902, 'core-banking', 'CB100002'), payload: { ...transaction(902, 'core-banking', 'CB100002').payload, currency: 'CNY', channel: 'CARRIER_PIGEON' } },
    { ...customer(903, 'branch-upload', 'BU-2'), payload: { ...customer(903, 'branch-upload', 'BU-2').payload, birthDate: '1999-12-31' } },
  ];
  const badAnswer = await post(bad);
  say('4 bad records', badAnswer);
  for (const r of badAnswer.results) for (const e of r.errors ?? []) log(`  → item ${r.index}: ${e.field} broke ${e.rule}: ${e.message}`);

  const quality = await (await fetch(`${url}/v1/quality`, { headers: { authorization: `Bearer ${token}` } })).json();
  log('data quality over the last hour (GET /v1/quality):');
  for (const s of quality.sources) log(`  ${s.source.padEnd(14)} ${String(s.records).padStart(5)} records, ${(s.rejectionRate * 100).toFixed(1)} % rejected${s.rules[0] ? `; worst rule ${s.rules[0].field} ${s.rules[0].rule}` : ''}`);

  const shown = 1;
  const { phone, branchId, rmId } = core[shown].payload;
  return { customerId: coreAnswer.results[shown].customerId, phone, branchId, rmId, customers: new Set(coreAnswer.results.map((r) => r.customerId)).size };
}

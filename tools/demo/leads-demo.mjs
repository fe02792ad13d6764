/**
 * Leads in `npm run demo` (issue 13, point 5): the branch SH001 puts its RMs on the roster (each
 * with an open-lead limit), then three customers come through ingest and show intent — a
 * 7-million-CNY depositor asks about wealth products, an 800,000-CNY one views a fund's page three
 * times, a 100,000-CNY one asks about funds. Campaign scores each lead on those events, explains
 * it, and gives it to the customer's own RM at 70 or more, else to the branch's least-loaded RM.
 * The demo prints the branch's top leads with their reasons (GET /v1/leads) and one RM's list.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { ingestPoster, serviceCaller } from './demo-http.mjs';
import { until } from './demo-kafka.mjs';
import { root, signDemoToken } from './demo-state.mjs';

const { residentId } = createRequire(import.meta.url)(path.join(root, 'libs/events/dist/fixtures/event-samples.js'));
const log = (m) => console.log(`[demo] ${m}`);
const BRANCH = 'SH001';

export async function showLeads({ ingestUrl, campaignUrl, jwtSecret }) {
  const system = await signDemoToken(jwtSecret, { roles: ['SYSTEM'], branchId: 'HQ', sub: 'core-banking-publisher', ttl: '1h' });
  const admin = await signDemoToken(jwtSecret, { roles: ['ADMIN'], branchId: 'HQ', sub: 'demo-admin', ttl: '1h' });
  const manager = await signDemoToken(jwtSecret, { roles: ['BRANCH_MANAGER'], branchId: BRANCH, sub: 'demo-branch-manager', ttl: '1h' });
  const run = Date.now().toString(36);
  let n = 0;
  const now = () => new Date().toISOString();
  const envelope = (ref, type, payload) => ({ eventId: `demo-lead-${run}-${++n}`, type, schemaVersion: 1, occurredAt: now(), source: 'core-banking', payload: { sourceSystem: 'core-banking', sourceCustomerId: ref, ...payload } });
  const post = ingestPoster(ingestUrl, system);
  const calling = serviceCaller(campaignUrl);
  const call = async (token, method, route, body) => {
    const { status, body: answer } = await calling(token, method, route, body);
    if (status >= 300) throw new Error(`${method} ${route} answered ${status}: ${JSON.stringify(answer)}`);
    return answer;
  };

  log(`leads: branch ${BRANCH}'s RMs on the roster (PUT /v1/rms/{rmId}, ADMIN):`);
  for (const [rmId, capacity] of [['RM1', 3], ['RM2', 3], ['RM3', 30]]) {
    const put = await call(admin, 'PUT', `/v1/rms/${rmId}`, { branchId: BRANCH, status: 'ACTIVE', capacity });
    log(`  ${rmId} ACTIVE, at most ${capacity} open leads${put.picked ? ` (took ${put.picked} waiting lead${put.picked > 1 ? 's' : ''})` : ''}`);
  }

  const people = [
    { ref: `LEAD-${run}-A`, name: '线索甲', balance: '7000000.00', rmId: 'RM3', intent: [{ kind: 'INQUIRY', channel: 'CALL_CENTER', text: '想了解一下你们的理财产品和保险' }] },
    { ref: `LEAD-${run}-B`, name: '线索乙', balance: '800000.00', rmId: 'RM3', intent: Array.from({ length: 3 }, () => ({ kind: 'PAGE_VIEW', channel: 'APP', topic: 'fund:F-GROWTH-01' })) },
    { ref: `LEAD-${run}-C`, name: '线索丙', balance: '100000.00', rmId: 'RM3', intent: [{ kind: 'INQUIRY', channel: 'APP', text: 'How do your funds compare?', topic: 'fund' }] },
  ];
  const birth = (i) => `19${70 + i * 7}0${i + 3}15`;
  const opened = await post(people.map((p, i) => envelope(p.ref, 'CustomerUpserted', { idType: 'RESIDENT_ID', idNumber: residentId(birth(i), '310104', String(100 + ((parseInt(run.slice(-3), 36) + i * 11) % 900))), phone: `135${String(Date.now() + i).slice(-8)}`, name: p.name, customerType: 'PERSONAL', branchId: BRANCH, rmId: p.rmId, birthDate: `${birth(i).slice(0, 4)}-${birth(i).slice(4, 6)}-${birth(i).slice(6)}`, consents: { marketing: { sms: true }, profiling: true } })));
  people.forEach((p, i) => (p.customerId = opened[i].customerId));
  const deposit = (p) => ({ productId: `${p.ref}-TD`, productType: 'DEPOSIT_TIME', productCode: 'TD12M' });
  await post(people.flatMap((p) => [envelope(p.ref, 'ProductOpened', { ...deposit(p), openedAt: now() }), envelope(p.ref, 'BalanceSnapshot', { ...deposit(p), balance: p.balance, currency: 'CNY' })]));
  await post(people.flatMap((p) => p.intent.map((i, k) => envelope(p.ref, 'InteractionRecorded', { interactionId: `${p.ref}-I${k}`, ...i }))));

  const expected = [70, 55, 40];
  const leads = await until('the demo customers’ leads', async () => {
    const page = await call(manager, 'GET', `/v1/leads?branchId=${BRANCH}&limit=100`);
    const mine = people.map((p) => page.leads.find((l) => l.customerId === p.customerId));
    return mine.every((l, i) => l && l.score >= expected[i] && l.rmId) ? page.leads : undefined;
  }, 120_000);
  log(`  three customers came through ingest with intent; campaign scored each on the events that moved it (GET /v1/leads?branchId=${BRANCH}, top 5):`);
  for (const l of leads.slice(0, 5)) {
    log(`    ${String(l.score).padStart(3)}  ${l.customerId.padEnd(26)} → ${l.rmId ?? '(waiting)'} ${l.assignedHow ? `(${l.assignedHow})` : ''}`);
    for (const f of l.factors) log(`           +${String(f.points).padEnd(3)} ${f.factor.padEnd(18)} ${f.detail}`);
  }
  const rm3 = await signDemoToken(jwtSecret, { roles: ['RM'], branchId: BRANCH, sub: 'RM3', ttl: '1h' });
  const work = await until('RM3’s follow-ups', async () => {
    const page = await call(rm3, 'GET', '/v1/rm/RM3/tasks?limit=200');
    return people.filter((p) => leads.find((l) => l.customerId === p.customerId)?.rmId === 'RM3').every((p) => page.tasks.some((t) => t.customerId === p.customerId)) ? page : undefined;
  }, 60_000);
  log(`  RM3's work list (GET /v1/rm/RM3/tasks, first due first, then the higher score): ${work.total} open task(s)`);
  for (const t of work.tasks.slice(0, 6)) log(`    due ${t.dueAt.slice(0, 16).replace('T', ' ')}  ${t.kind.padEnd(15)} ${t.customerId.padEnd(26)} ${t.reason.slice(0, 90)}`);
  // RM3 calls the 70-point customer: converted — the task done, the lead closed, RM3's slot freed.
  const first = work.tasks.find((t) => t.customerId === people[0].customerId);
  if (first) {
    const done = await call(rm3, 'POST', `/v1/rm/RM3/tasks/${first.taskId}/outcome`, { outcome: 'CONVERTED', note: 'opened a wealth account' });
    log(`  RM3 records the call with ${first.customerId}: ${done.outcome} (POST …/tasks/{taskId}/outcome) → task ${done.status}, the lead CONVERTED`);
  }
  const roster = await call(admin, 'GET', `/v1/rms?branchId=${BRANCH}`);
  log(`  open leads by RM (GET /v1/rms): ${roster.map((r) => `${r.rmId} ${r.openLeads}/${r.capacity ?? '—'}`).join(', ')}`);
}

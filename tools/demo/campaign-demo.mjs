/**
 * Campaign in `npm run demo` (issue 12, point 9): two campaigns defined and activated before the
 * simulated bank's morning — an onboarding journey for customers turning NEW and a retention
 * offer for those turning AT_RISK, each holding out a control group. Then customers go through
 * ingest whose histories turn them NEW or AT_RISK (an AUM fall of more than half from its 90-day
 * peak), one while a complaint of theirs is open, some who never consented or cannot take the
 * offer's risk; a simulated push and SMS gateway reports back what it delivered and what was
 * opened and clicked (InteractionRecorded through ingest). The demo prints each campaign's funnel,
 * treatment against control, and the suppressions by reason (GET /v1/campaigns/{id}/stats).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { until } from './demo-kafka.mjs';
import { root, signDemoToken } from './demo-state.mjs';

// The built events library: demo.mjs imports this module only after it has built the workspace.
const { residentId } = createRequire(import.meta.url)(path.join(root, 'libs/events/dist/fixtures/event-samples.js'));

const log = (m) => console.log(`[demo] ${m}`);
const DAY = 86_400_000;

const template = (templateId, channel, body) => ({ templateId, channel, locale: 'zh-CN', body });
const CAMPAIGNS = [
  {
    name: 'Demo: onboarding journey',
    objective: 'ONBOARDING: welcome every customer turning NEW and point them to the app',
    trigger: { kind: 'LIFECYCLE_CHANGED', to: 'NEW' },
    channels: ['app_push', 'sms'],
    templates: [
      { ...template('welcome-push', 'app_push', '{{greeting}}，欢迎加入！打开手机银行，领取新客专享礼遇'), variants: [{ variantId: 'young', when: { age: { $lte: 30 } }, body: '{{greeting}}～欢迎！新人礼包已到账，点开看看' }] },
      template('welcome-sms', 'sms', '{{greeting}}，欢迎成为我行客户，您的客户经理{{rmName}}随时为您服务'),
    ],
    startAt: '2026-01-01T00:00:00+08:00',
    unitCostMinor: { app_push: 1, sms: 5 },
    controlShare: 0.2,
    goal: { kind: 'PRODUCT_OPENED', productType: 'WEALTH' },
    targetConversionRate: 0.05,
  },
  {
    name: 'Demo: retention offer',
    objective: 'RETENTION: a wealth offer for customers turning AT_RISK',
    trigger: { kind: 'LIFECYCLE_CHANGED', to: 'AT_RISK' },
    channels: ['app_push', 'sms'],
    templates: [template('retain-push', 'app_push', '{{greeting}}，为您保留一份{{productName}}专属收益，{{offerValue}}起购'), template('retain-sms', 'sms', '{{greeting}}，客户经理{{rmName}}为您准备了{{productName}}专属礼遇')],
    offer: { productType: 'WEALTH', riskLevel: 'R2', valueMinor: 5_000_000 },
    startAt: '2026-01-01T00:00:00+08:00',
    budgetMinor: 10_000,
    unitCostMinor: { app_push: 1, sms: 5 },
    controlShare: 0.2,
    goal: { kind: 'AUM_INCREASE', minMinor: 10_000_000 },
    targetConversionRate: 0.1,
  },
];

/** Defines the demo's campaigns once (a later run finds them) and activates them; answers them by name. */
export async function setUpCampaigns({ campaignUrl, jwtSecret }) {
  const token = await signDemoToken(jwtSecret, { roles: ['MARKETING'], branchId: 'HQ', sub: 'demo-marketer', ttl: '1h' });
  const call = async (method, route, body) => {
    const res = await fetch(`${campaignUrl}${route}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, ...(body && { body: JSON.stringify(body) }) });
    if (res.status >= 300) throw new Error(`${method} ${route} answered ${res.status}: ${await res.text()}`);
    return res.json();
  };
  const existing = await call('GET', '/v1/campaigns');
  const campaigns = {};
  log('campaign: two campaigns run through the morning (POST /v1/campaigns, then …/activate):');
  for (const definition of CAMPAIGNS) {
    const found = existing.find((c) => c.definition.name === definition.name) ?? (await call('POST', '/v1/campaigns', definition));
    const active = found.status === 'ACTIVE' ? found : await call('POST', `/v1/campaigns/${found.campaignId}/activate`);
    campaigns[definition.name] = active;
    const d = active.definition;
    log(`  ${d.name.padEnd(26)} ${d.trigger.kind} → ${d.trigger.to.padEnd(8)} on ${d.channels.join(' then ')}, ${(d.controlShare * 100).toFixed(0)} % held out as control${d.offer ? `, offer ${d.offer.productType} ${d.offer.riskLevel}` : ''}${d.budgetMinor !== undefined ? `, budget ${(d.budgetMinor / 100).toFixed(2)} CNY` : ''}`);
  }
  // An invalid definition is refused naming its fields (what a marketer sees in the console).
  const refused = await fetch(`${campaignUrl}/v1/campaigns`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ ...CAMPAIGNS[1], offer: { productType: 'FUND' }, audience: { salary: { $gte: 1 } } }) });
  const problems = (await refused.json()).errors ?? [];
  log(`  a definition offering a FUND without its risk level, on a field no profile has: ${refused.status}, ${problems.map((p) => `${p.field} (${p.rule})`).join(', ')}`);
  return campaigns;
}

/** The demo's own customers: who they are, and what their history makes of them. */
function people(run) {
  const atRisk = (i, extra = {}) => ({ ref: `CMP-${run}-R${i}`, story: 'AT_RISK', consents: { marketing: { app_push: true, sms: true } }, riskTolerance: 'R3', ...extra });
  return [
    ...Array.from({ length: 8 }, (_, i) => atRisk(i)),
    atRisk(8, { consents: { marketing: { app_push: false, sms: true } } }),
    atRisk(9, { riskTolerance: 'R1' }),
    atRisk(10, { riskTolerance: undefined }),
    atRisk(11, { consents: undefined }),
    atRisk(12, { complaint: '理财经理推荐的产品亏损严重，我要投诉' }),
    ...Array.from({ length: 10 }, (_, i) => ({ ref: `CMP-${run}-N${i}`, story: 'NEW', consents: { marketing: { app_push: i !== 9, sms: true } } })),
  ];
}

export async function showCampaigns({ ingestUrl, campaignUrl, jwtSecret, campaigns, watchCampaigns, watchTickets }) {
  const system = await signDemoToken(jwtSecret, { roles: ['SYSTEM'], branchId: 'HQ', sub: 'core-banking-publisher', ttl: '1h' });
  const reader = await signDemoToken(jwtSecret, { roles: ['MARKETING'], branchId: 'HQ', sub: 'demo-marketer', ttl: '1h' });
  const run = Date.now().toString(36);
  let n = 0;
  const post = async (events) => {
    const res = await fetch(`${ingestUrl}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${system}` }, body: JSON.stringify(events) });
    const answer = await res.json();
    const refused = (answer.results ?? []).filter((r) => r.status === 'rejected');
    if (!Array.isArray(answer.results) || refused.length) throw new Error(`ingest answered ${res.status}: ${JSON.stringify(refused.length ? refused : answer)}`);
    return answer.results;
  };
  const at = (daysAgo) => new Date(Date.now() - daysAgo * DAY).toISOString();
  const envelope = (p, type, occurredAt, payload, source = 'core-banking') => ({ eventId: `demo-cmp-${run}-${++n}`, type, schemaVersion: 1, occurredAt, source, payload: { sourceSystem: source, sourceCustomerId: p.ref, ...payload } });
  const crowd = people(run);

  // Who they are, and their accounts: the AT_RISK ones since 200 days with 800,000 CNY until a month ago; the NEW ones from today.
  const opened = await post(crowd.map((p, i) => envelope(p, 'CustomerUpserted', at(p.story === 'NEW' ? 0 : 200), {
    idType: 'RESIDENT_ID', idNumber: residentIdFor(run, i), phone: `137${String(Date.now() + i).slice(-8)}`, name: `营销${i}`, customerType: 'PERSONAL', branchId: 'SH001', rmId: 'RM3', birthDate: birthOf(run, i).replace(/(\d{4})(\d{2})(\d{2})/, '$1-$2-$3'),
    ...(p.consents && { consents: { ...p.consents, profiling: true } }), ...(p.riskTolerance && { riskTolerance: p.riskTolerance }),
  })));
  crowd.forEach((p, i) => (p.customerId = opened[i].customerId));
  // One of them calls to complain first: service desk opens a COMPLAINT ticket (campaign keeps it long before their history has gone through profile and segmentation), and campaign holds its offers.
  const complainer = crowd.find((p) => p.complaint);
  await post([envelope(complainer, 'InteractionRecorded', at(0), { interactionId: `${complainer.ref}-CALL`, channel: 'CALL_CENTER', kind: 'COMPLAINT', text: complainer.complaint })]);
  await until('the complaint’s ticket', () => watchTickets.events.some((e) => e.type === 'TicketOpened' && e.payload.customerId === complainer.customerId), 60_000);
  const account = (p) => ({ productId: `${p.ref}-CUR`, productType: 'DEPOSIT_CURRENT', productCode: 'CUR01' });
  const history = crowd.flatMap((p) =>
    p.story === 'NEW'
      ? [envelope(p, 'ProductOpened', at(0), { ...account(p), openedAt: at(0) }), envelope(p, 'BalanceSnapshot', at(0), { ...account(p), balance: '30000.00', currency: 'CNY' })]
      : [
          envelope(p, 'ProductOpened', at(200), { ...account(p), openedAt: at(200) }),
          envelope(p, 'BalanceSnapshot', at(40), { ...account(p), balance: '800000.00', currency: 'CNY' }),
          envelope(p, 'TransactionPosted', at(10), { transactionId: `${p.ref}-T1`, productId: account(p).productId, productType: 'DEPOSIT_CURRENT', direction: 'DEBIT', amount: '1200.00', currency: 'CNY', channel: 'MOBILE', category: 'PURCHASE' }),
        ],
  );
  await post(history);
  // Then most of the AT_RISK customers' money leaves: down to 300,000 CNY, more than half off the 90-day peak.
  await post(crowd.filter((p) => p.story === 'AT_RISK').map((p) => envelope(p, 'BalanceSnapshot', at(0), { ...account(p), balance: '300000.00', currency: 'CNY' })));

  const retention = campaigns['Demo: retention offer'];
  const onboarding = campaigns['Demo: onboarding journey'];
  const decisionOf = (p) => watchCampaigns.events.find((e) => e.customerId === p.customerId && [retention.campaignId, onboarding.campaignId].includes(e.payload.campaignId));
  await until('every demo customer decided', () => crowd.every(decisionOf), 120_000);
  log(`  ${crowd.length} customers came through ingest: ${crowd.filter((p) => p.story === 'AT_RISK').length} whose AUM fell by more than half (→ AT_RISK), ${crowd.filter((p) => p.story === 'NEW').length} opening their first account (→ NEW); each decided within seconds:`);
  for (const p of crowd.slice(8, 13).concat(crowd.slice(-2))) {
    const d = decisionOf(p);
    const what = d.type === 'CampaignMessageRequested' ? `${d.payload.channel.padEnd(8)} “${d.payload.content}”` : `suppressed ${d.payload.reason}${d.payload.postponedUntil ? ` until ${d.payload.postponedUntil}` : ''}`;
    log(`    ${p.story.padEnd(7)} ${p.customerId.padEnd(12)} ${what}`);
  }

  // The gateway reports back on what it was asked to send: every message delivered, two in three opened, one in three clicked.
  const sent = crowd.map((p) => ({ p, d: decisionOf(p) })).filter(({ d }) => d.type === 'CampaignMessageRequested');
  const report = (p, d, kind) => envelope(p, 'InteractionRecorded', at(0), { interactionId: `${d.payload.messageId}-${kind}`, channel: d.payload.channel === 'sms' ? 'SMS' : 'APP', kind, campaignId: d.payload.campaignId, messageId: d.payload.messageId });
  await post(sent.flatMap(({ p, d }, i) => [report(p, d, 'CAMPAIGN_DELIVERED'), ...(i % 3 !== 2 ? [report(p, d, 'CAMPAIGN_OPENED')] : []), ...(i % 3 === 0 ? [report(p, d, 'CAMPAIGN_CLICKED')] : [])]));
  // Some customers answer the retention offer where it counts: a wealth product with 200,000 CNY — five treated ones, and one held out (the control arm converts too, on its own).
  const retained = crowd.filter((p) => p.story === 'AT_RISK').map((p) => ({ p, d: decisionOf(p) }));
  const answering = [...retained.filter(({ d }) => d.type === 'CampaignMessageRequested').slice(0, 5), ...retained.filter(({ d }) => d.payload.reason === 'CONTROL_GROUP').slice(0, 1)];
  const wealth = (p) => ({ productId: `${p.ref}-WM`, productType: 'WEALTH', productCode: 'WM01' });
  await post(answering.flatMap(({ p }) => [envelope(p, 'ProductOpened', at(0), { ...wealth(p), openedAt: at(0) }), envelope(p, 'BalanceSnapshot', at(0), { ...wealth(p), balance: '200000.00', currency: 'CNY' })]));
  const statsOf = async (c) => (await fetch(`${campaignUrl}/v1/campaigns/${c.campaignId}/stats`, { headers: { authorization: `Bearer ${reader}` } })).json();
  const mine = (c) => sent.filter(({ d }) => d.payload.campaignId === c.campaignId).length;
  for (const c of [retention, onboarding]) {
    const converting = c === retention ? answering.length : 0;
    const s = await until(`the funnel of ${c.definition.name}`, async () => {
      const stats = await statsOf(c);
      return stats.funnel.delivered >= mine(c) && stats.outcomes.treatment.converted + stats.outcomes.control.converted >= converting ? stats : undefined;
    }, 60_000);
    const f = s.funnel;
    log(`  ${c.definition.name} (GET /v1/campaigns/{id}/stats):`);
    log(`    funnel     sent ${f.sent} → handed over ${f.dispatched}${f.failed ? ` (failed ${f.failed})` : ""} → delivered ${f.delivered} → opened ${f.opened} → clicked ${f.clicked}   (opted out ${f.optedOut}); cost ${(s.costMinor / 100).toFixed(2)} CNY`);
    log(`    arms       treatment ${f.sent} contacted, control ${s.control} held out (tracked, never contacted)`);
    const reasons = Object.entries(s.suppressed).map(([r, k]) => `${r} ${k}`).join(', ');
    log(`    suppressed ${reasons || 'none'}${s.postponed ? `; ${s.postponed} postponed by quiet hours to their window’s end` : ''}`);
    for (const [channel, ch] of Object.entries(s.byChannel)) log(`    ${channel.padEnd(10)} sent ${ch.sent}, delivered ${ch.delivered}, opened ${ch.opened}, clicked ${ch.clicked}, converted ${ch.converted}`);
    const o = s.outcomes;
    const rate = (a) => (a.conversionRate === undefined ? '—' : `${(100 * a.conversionRate).toFixed(1)} %`);
    const cny = (minor) => `${Math.round(minor / 100).toLocaleString('en-US')} CNY`;
    log(`    outcomes   treatment ${o.treatment.converted}/${o.treatment.customers} converted (${rate(o.treatment)}) vs control ${o.control.converted}/${o.control.customers} (${rate(o.control)})${o.uplift ? `: uplift ${(100 * o.uplift.value).toFixed(1)} points, 95 % CI ${(100 * o.uplift.ci95[0]).toFixed(1)} to ${(100 * o.uplift.ci95[1]).toFixed(1)}` : ''}`);
    log(`               net new AUM ${cny(o.treatment.netNewAumMinor)} (treatment) vs ${cny(o.control.netNewAumMinor)} (control); incremental ${o.incrementalAumMinor === undefined ? '—' : cny(o.incrementalAumMinor)}; products opened ${o.treatment.productsOpened} vs ${o.control.productsOpened}; attributed to its messages ${cny(o.attributedValueMinor)}; spent ${(s.costMinor / 100).toFixed(2)} CNY`);
    for (const suggestion of s.suggestions) log(`    suggestion ${suggestion}`);
  }
  await showBatchCampaign({ campaignUrl, reader });
}

const YEAR_END = {
  name: 'Demo: year-end wealth season',
  objective: 'CROSS_SELL: a scheduled batch over the whole base — a wealth offer to every customer with 100,000 CNY or more',
  audience: { aumMinor: { $gte: 10_000_000 } },
  channels: ['app_push'],
  templates: [template('yearend-push', 'app_push', '{{greeting}}，年末理财季：{{productName}}专享额度已为您预留')],
  offer: { productType: 'WEALTH', riskLevel: 'R2' },
  startAt: '2026-01-01T00:00:00+08:00',
  unitCostMinor: { app_push: 1 },
  controlShare: 0.1,
  goal: { kind: 'PRODUCT_OPENED', productType: 'WEALTH' },
  targetConversionRate: 0.02,
};

/** A scheduled campaign over the whole base (issue 12, point 8): defined once, run at its instant in partitions; its run and stats printed. */
async function showBatchCampaign({ campaignUrl, reader: marketer }) {
  const call = async (method, route, body) => {
    const res = await fetch(`${campaignUrl}${route}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${marketer}` }, ...(body && { body: JSON.stringify(body) }) });
    if (res.status >= 300) throw new Error(`${method} ${route} answered ${res.status}: ${await res.text()}`);
    return res.json();
  };
  const found = (await call('GET', '/v1/campaigns')).find((c) => c.definition.name === YEAR_END.name) ?? (await call('POST', '/v1/campaigns', { ...YEAR_END, trigger: { kind: 'SCHEDULED', at: new Date().toISOString() } }));
  const active = found.status === 'DRAFT' ? await call('POST', `/v1/campaigns/${found.campaignId}/activate`) : found;
  log(`  ${YEAR_END.name}: SCHEDULED at ${active.definition.trigger.at} over the whole base (audience AUM ≥ 100,000 CNY), decided in partitions (GET /v1/campaigns/{id}/batch):`);
  const run = await until('the year-end batch run', async () => {
    const res = await fetch(`${campaignUrl}/v1/campaigns/${active.campaignId}/batch`, { headers: { authorization: `Bearer ${marketer}` } });
    const body = res.status === 200 ? await res.json() : undefined;
    return body?.finishedAt ? body : undefined;
  }, 300_000);
  const s = await call('GET', `/v1/campaigns/${active.campaignId}/stats`);
  const reasons = Object.entries(s.suppressed).map(([r, k]) => `${r} ${k}`).join(', ');
  log(`    run        ${run.partitionsDone}/${run.partitions} partitions, ${run.read} customers read, ${run.startedAt} → ${run.finishedAt}`);
  log(`    decided    sent ${s.funnel.sent}, control ${s.control} held out; suppressed ${reasons || 'none'}`);
}

/** Every other demo person is in their twenties (the onboarding's young variant), the others in their fifties; each run's people are born on days of their own. */
const birthOf = (run, i) => {
  const day = new Date(Date.UTC(i % 2 ? 1998 : 1975, 0, 1) + ((parseInt(run.slice(-5), 36) * 31 + i) % 3650) * 86_400_000);
  return day.toISOString().slice(0, 10).replace(/-/g, '');
};
/** A valid resident ID for each demo person of a run (their birth date, a sequence of the run's own). */
const residentIdFor = (run, i) => residentId(birthOf(run, i), '310104', String(100 + ((parseInt(run.slice(-4), 36) + i * 7) % 900)));

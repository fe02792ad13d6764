/**
 * Service desk in `npm run demo` (issue 11): the simulated bank's call centre records
 * complaints, a card loss, a fraud report and requests (InteractionRecorded through ingest);
 * service-desk opens a ticket for each, classified from the Chinese or English text into a
 * queue by the routing table, prioritised by DOMAIN.md (a DIAMOND customer's raised one
 * level), and the demo reads each back (GET /v1/tickets/{id}) as an agent would. An agent then
 * works one through PATCH (a refused step answers 409 with the allowed ones), and a card loss the
 * branch logged half an hour late is escalated by its SLA jobs (BullMQ) at once, to level 2.
 * The agent's context view shows the customer beside a ticket, masked for the desk and in
 * clear for their RM (announced as PiiAccessed on crm.governance.v1).
 */
import { until } from './demo-kafka.mjs';
import { signDemoToken } from './demo-state.mjs';

const log = (m) => console.log(`[demo] ${m}`);

/** The morning's customers by their core-banking reference (simulated-bank.mjs: CB100000 + i; every 50th holds 7,000,000 CNY, DIAMOND). */
const CALLS = [
  { ref: 'CB100001', kind: 'CARD_LOSS', text: '我的借记卡丢了，请马上帮我挂失' },
  { ref: 'CB100002', kind: 'COMPLAINT', text: '手机银行转账失败，钱扣了还没到账，我要投诉' },
  { ref: 'CB100003', kind: 'INQUIRY', text: 'There is an unauthorised charge on my credit card' },
  { ref: 'CB100004', kind: 'COMPLAINT', text: '理财产品赎回太慢了' },
  { ref: 'CB100050', kind: 'COMPLAINT', text: '网点排队时间太长，大堂经理态度差' },
  { ref: 'CB100005', kind: 'SERVICE_REQUEST', text: 'Please change my address, I have moved' },
];

export async function showServiceDesk({ ingestUrl, serviceDeskUrl, jwtSecret, watch, audit }) {
  const system = await signDemoToken(jwtSecret, { roles: ['SYSTEM'], branchId: 'HQ', sub: 'call-centre', ttl: '1h' });
  const agent = await signDemoToken(jwtSecret, { roles: ['SERVICE_AGENT'], branchId: 'HQ', sub: 'agent-demo', ttl: '1h' });
  const run = Date.now().toString(36);
  const calls = CALLS.map((c, i) => ({
    ...c,
    interactionId: `CALL-${run}-${i}`,
    envelope: {
      eventId: `demo-call-${run}-${i}`,
      type: 'InteractionRecorded',
      schemaVersion: 1,
      occurredAt: new Date().toISOString(),
      source: 'core-banking',
      payload: { sourceSystem: 'core-banking', sourceCustomerId: c.ref, interactionId: `CALL-${run}-${i}`, channel: 'CALL_CENTER', kind: c.kind, text: c.text },
    },
  }));
  const res = await fetch(`${ingestUrl}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${system}` }, body: JSON.stringify(calls.map((c) => c.envelope)) });
  const answer = await res.json();
  if (!Array.isArray(answer.results)) throw new Error(`ingest answered ${res.status}: ${JSON.stringify(answer)}`);
  const refused = answer.results.filter((r) => r.status !== 'accepted');
  if (refused.length) throw new Error(`ingest did not take ${refused.length} of the calls: ${JSON.stringify(refused)}`);
  log(`service desk: the call centre records ${calls.length} calls (InteractionRecorded through ingest); each becomes a ticket:`);
  const openedFor = (interactionId) => watch.events.find((e) => e.type === 'TicketOpened' && e.payload.interactionId === interactionId);
  for (const call of calls) {
    const opened = await until(`the ticket of ${call.interactionId}`, () => openedFor(call.interactionId), 60_000);
    const view = await (await fetch(`${serviceDeskUrl}/v1/tickets/${opened.payload.ticketId}`, { headers: { authorization: `Bearer ${agent}` } })).json();
    const rule = view.topic ? `${view.topic.ruleId} «${view.topic.phrase}»` : 'no rule (the kind’s queue)';
    log(`  ${call.kind.padEnd(15)} → ${view.category.padEnd(15)} ${view.queue.padEnd(8)} ${view.priority}  ${rule.padEnd(32)} “${call.text}”`);
  }
  log('  (priority per DOMAIN.md: card loss and disputes P1, complaints P2, the rest P3; DIAMOND and GOLD customers one level up)');

  // A teller at the counter opens one by hand (POST /v1/tickets); the same request key again answers that ticket.
  const teller = await signDemoToken(jwtSecret, { roles: ['TELLER'], branchId: 'SH001', sub: 'teller-demo', ttl: '1h' });
  const customerId = openedFor(calls[0].interactionId).payload.customerId;
  const body = { customerId, kind: 'SERVICE_REQUEST', channel: 'BRANCH', text: '客户要求修改手机号', subject: '改手机号，新号 139-0011-2233', requestId: `desk-${run}` };
  const byHand = async () => {
    const r = await fetch(`${serviceDeskUrl}/v1/tickets`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${teller}` }, body: JSON.stringify(body) });
    if (r.status !== 201 && r.status !== 200) throw new Error(`POST /v1/tickets answered ${r.status}: ${await r.text()}`);
    return { status: r.status, view: await r.json() };
  };
  const first = await byHand();
  const again = await byHand();
  log(`  a teller opens one by hand (POST /v1/tickets): ${first.status} ${first.view.ticketId} ${first.view.queue} ${first.view.priority} ${first.view.topic ? `${first.view.topic.ruleId} «${first.view.topic.phrase}»` : ''}; the same requestId again: ${again.status}, ${again.view.ticketId === first.view.ticketId ? 'the same ticket' : 'ANOTHER TICKET'}`);
  if (again.view.ticketId !== first.view.ticketId) throw new Error('POST /v1/tickets opened a second ticket for one request key');

  // An agent works the card loss: takes it (assigned and the first response given), then resolves it; a step the ticket cannot take is refused.
  const patch = async (ticketId, change) => {
    const r = await fetch(`${serviceDeskUrl}/v1/tickets/${ticketId}`, { method: 'PATCH', headers: { 'content-type': 'application/json', authorization: `Bearer ${agent}` }, body: JSON.stringify(change) });
    return { status: r.status, body: await r.json() };
  };
  const lost = openedFor(calls[0].interactionId).payload.ticketId;
  const taken = await patch(lost, { status: 'IN_PROGRESS', assigneeId: 'agent-demo' });
  if (taken.status !== 200) throw new Error(`PATCH answered ${taken.status}: ${JSON.stringify(taken.body)}`);
  const refusedStep = await patch(lost, { status: 'CLOSED' });
  if (refusedStep.status !== 409) throw new Error(`closing an IN_PROGRESS ticket answered ${refusedStep.status}, not 409`);
  const resolved = await patch(lost, { status: 'RESOLVED', resolution: '卡片已挂失并补办' });
  if (resolved.status !== 200) throw new Error(`PATCH answered ${resolved.status}: ${JSON.stringify(resolved.body)}`);
  log(`  an agent works the card loss (PATCH /v1/tickets/${lost}):`);
  for (const step of resolved.body.history.filter((h) => h.command !== 'SLA_STAGE_REACHED')) log(`    ${step.at} ${step.by} ${step.command.padEnd(8)} ${step.from} → ${step.to}`);
  log(`    closing it while IN_PROGRESS: ${refusedStep.status}, allowed ${JSON.stringify(refusedStep.body.allowed)}; first response after ${Math.round((Date.parse(resolved.body.firstRespondedAt) - Date.parse(resolved.body.openedAt)) / 1000)} s: no escalation`);
  // On RESOLVED a satisfaction survey goes out on a channel the customer consented to (their consents as profile announced them), or none.
  const survey = await until('the survey decision', () => (resolved.body.surveyRequested ? watch.events.find((e) => e.type === 'SurveyRequested' && e.payload.ticketId === lost) : { none: true }), 30_000);
  log(survey.none ? '    no satisfaction survey: the customer consented to no channel' : `    satisfaction survey sent on ${survey.payload.channel} (${survey.payload.messageId}), once per ticket`);

  // The agent opens the teller's ticket of the same customer: the customer beside it (GET /v1/tickets/{id}: tier, RM, other tickets, interactions), masked for the desk.
  const contextOf = async (token) => {
    const r = await fetch(`${serviceDeskUrl}/v1/tickets/${first.view.ticketId}`, { headers: { authorization: `Bearer ${token}`, 'x-access-purpose': 'demo: calling the customer back' } });
    if (!r.ok) throw new Error(`GET /v1/tickets/${first.view.ticketId} answered ${r.status}: ${await r.text()}`);
    return r.json();
  };
  const seen = await until('the customer’s context at the desk', async () => {
    const v = await contextOf(agent);
    return v.context.recentTickets.some((t) => t.ticketId === lost) && v.context.recentInteractions.length ? v : undefined;
  }, 30_000);
  const c = seen.context;
  log(`  the agent opens the teller’s ticket (GET /v1/tickets/${first.view.ticketId}): subject “${seen.subject}” (${c.access})`);
  log(`    the customer: ${c.customerStatus}, tier ${c.tier ?? 'not announced yet'}, branch ${c.branchId ?? '?'}, RM ${c.rmId ?? 'none'}; open tickets ${c.openTickets.length}, recent: ${c.recentTickets.map((t) => `${t.category} ${t.status}${t.csat ? ` CSAT ${t.csat}` : ''}`).join(', ')}`);
  log(`    newest interactions: ${c.recentInteractions.map((i) => `${i.kind}/${i.channel}`).join(', ')}`);
  if (c.rmId) {
    const rm = await signDemoToken(jwtSecret, { roles: ['RM'], branchId: c.branchId ?? 'HQ', sub: c.rmId, ttl: '1h' });
    const full = await contextOf(rm);
    const audited = await until('the RM’s read announced (PiiAccessed)', () => audit.events.find((e) => e.type === 'PiiAccessed' && e.source === 'meridian-service-desk' && e.payload.actor === c.rmId), 30_000);
    log(`    their RM ${c.rmId} sees it in clear (${full.context.access}): “${full.subject}” — announced as PiiAccessed ${JSON.stringify(audited.payload.fields)} “${audited.payload.purpose}”`);
  }

  // The branch logs a card loss half an hour after the customer called: P1's first response (15 min) is twice over already.
  const lateId = `CALL-${run}-late`;
  const lateCall = {
    eventId: `demo-call-${run}-late`,
    type: 'InteractionRecorded',
    schemaVersion: 1,
    occurredAt: new Date(Date.now() - 31 * 60_000).toISOString(),
    source: 'core-banking',
    payload: { sourceSystem: 'core-banking', sourceCustomerId: 'CB100006', interactionId: lateId, channel: 'BRANCH', kind: 'CARD_LOSS', text: '信用卡被盗刷，已经半小时了' },
  };
  const sent = await fetch(`${ingestUrl}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${system}` }, body: JSON.stringify([lateCall]) });
  if (!sent.ok) throw new Error(`ingest answered ${sent.status} to the late call`);
  const lateTicket = (await until('the late call’s ticket', () => openedFor(lateId), 60_000)).payload.ticketId;
  const escalated = () => watch.events.filter((e) => e.type === 'TicketEscalated' && e.payload.ticketId === lateTicket);
  await until('the late card loss escalated to level 2', () => escalated().some((e) => e.payload.level === 2), 90_000);
  log(`  a card loss logged 31 min after the call (${lateTicket}) is escalated by its SLA jobs:`);
  for (const e of escalated().sort((a, b) => a.occurredAt.localeCompare(b.occurredAt))) log(`    level ${e.payload.level} at ${e.occurredAt}: ${e.payload.reason}`);

  // The queues as agents see them (GET /v1/tickets: work lists in Redis, P1 first, oldest first).
  const OPEN = 'NEW,ASSIGNED,IN_PROGRESS,PENDING_CUSTOMER';
  const read = async (query) => {
    const r = await fetch(`${serviceDeskUrl}/v1/tickets?${query}`, { headers: { authorization: `Bearer ${agent}` } });
    if (!r.ok) throw new Error(`GET /v1/tickets?${query} answered ${r.status}: ${await r.text()}`);
    return r.json();
  };
  log('  the queues (GET /v1/tickets?queue=…&status=open): open tickets, of them breached, and the first in line');
  for (const queue of ['CARDS', 'LOANS', 'WEALTH', 'DEPOSITS', 'DIGITAL', 'GENERAL']) {
    const [open, breached] = await Promise.all([read(`queue=${queue}&status=${OPEN}&limit=1`), read(`queue=${queue}&status=${OPEN}&breached=true&limit=1`)]);
    const first = open.tickets[0];
    log(`    ${queue.padEnd(8)} ${String(open.total).padStart(3)} open, ${String(breached.total).padStart(3)} breached${first ? `; first: ${first.priority} ${first.category} since ${first.openedAt}` : ''}`);
  }

  // SLA attainment and the complaints' topics, from counters kept as tickets were written (GET /v1/sla).
  const executive = await signDemoToken(jwtSecret, { roles: ['EXECUTIVE'], branchId: 'HQ', sub: 'cxo-demo', ttl: '1h' });
  const slaRes = await fetch(`${serviceDeskUrl}/v1/sla`, { headers: { authorization: `Bearer ${executive}` } });
  if (!slaRes.ok) throw new Error(`GET /v1/sla answered ${slaRes.status}: ${await slaRes.text()}`);
  const sla = await slaRes.json();
  const pct = (x) => (x === undefined ? '   –' : `${Math.round(x * 100)}%`.padStart(4));
  log('  SLA attainment (GET /v1/sla): queue, priority, first responses within target, resolutions within target, average handling');
  for (const line of sla.byQueue) log(`    ${line.queue.padEnd(8)} ${line.priority}  first response ${pct(line.firstResponseAttainment)} of ${line.responded}, resolution ${pct(line.resolutionAttainment)} of ${line.resolved}${line.averageHandlingMinutes !== undefined ? `, ${line.averageHandlingMinutes} min` : ''}`);
  log(`    tickets by category ${JSON.stringify(sla.ticketsByCategory)}; top complaint topics: ${sla.topComplaintTopics.map((t) => `${t.ruleId} «${t.phrase}» ${t.tickets}`).join(', ') || 'none yet'}`);
  log(`  curl -H 'authorization: Bearer <SERVICE_AGENT token>' '${serviceDeskUrl}/v1/tickets?queue=CARDS&status=NEW&breached=true'`);
}

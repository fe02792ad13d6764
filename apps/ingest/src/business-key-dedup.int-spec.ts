import { EnvelopeInit, Role, TOPICS } from '@meridian/events';
import { sampleEnvelope } from '@meridian/events/testing';
import { EventPublisher, ensureTopics } from '@meridian/events/kafka';
import { ServiceProcess, TopicReader, freePort, serviceTestEnv, signTestToken, startService, testKafka, uniqueName, waitFor } from '@meridian/shared/testing';
import { Kafka, Producer } from 'kafkajs';
import { customerEvent, person, transactionEvent } from './testing/ingest-fixtures';

type Envelope = EnvelopeInit & { customerId?: string; payload: any };

/** The same envelope content under another eventId: what a core system's re-export sends. */
const reExport = (e: EnvelopeInit, over: Record<string, unknown> = {}): EnvelopeInit => ({
  ...structuredClone(e),
  eventId: `re-${e.eventId}-${Math.random().toString(36).slice(2, 8)}`,
  occurredAt: '2026-03-02T11:00:00+08:00', // re-stamped on delivery: not part of the content
  correlationId: 're-export-batch',
  payload: { ...structuredClone(e.payload as object), ...over },
});

function interactionEvent(source: string, ref: string, interactionId: string, over: Record<string, unknown> = {}): EnvelopeInit {
  const e = sampleEnvelope(TOPICS.coreInteractions, 'InteractionRecorded');
  Object.assign(e.payload as object, { sourceSystem: source, sourceCustomerId: ref, interactionId, channel: 'APP', kind: 'LOGIN', csat: undefined, nps: undefined, ticketId: undefined, ...over });
  return e;
}

/**
 * Issue 9, point 6 "must show": a transaction (and an interaction) counts once whatever its
 * envelope — ingest and profile as real processes on one topic prefix, against real Kafka, a
 * MongoDB-wire server and Redis. The same fact under two eventIds is accepted once and
 * answered duplicate (HTTP) or skipped and counted (Kafka), and the profile counts it once;
 * the same business key with other content is rejected naming the key (HTTP) or
 * dead-lettered with that rule (Kafka).
 */
describe('a fact counts once, whatever its envelope (ingest and profile; real Kafka, MongoDB-wire server and Redis)', () => {
  let ingestEnv: Record<string, string>;
  let profileEnv: Record<string, string>;
  let ingest: ServiceProcess;
  let profile: ServiceProcess;
  let kafka: Kafka;
  let producer: Producer;
  let publisher: EventPublisher;
  let out: TopicReader;
  const procs: ServiceProcess[] = [];

  const topic = (t: string) => ingestEnv.KAFKA_TOPIC_PREFIX + t;
  const token = (roles: Role[]) => signTestToken(ingestEnv.JWT_SECRET, { roles, sub: 'tester', branchId: 'BR001' });
  async function postEvents(events: unknown[]) {
    const res = await fetch(`${ingest.url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${await token(['SYSTEM'])}` }, body: JSON.stringify(events) });
    expect(res.status).toBe(202);
    return (await res.json()) as { accepted: number; duplicate: number; rejected: number; results: any[] };
  }
  const published = (t: string) => out.json<Envelope>(topic(t));
  const publishedFact = (t: string, field: 'transactionId' | 'interactionId', id: string, source: string) => published(t).filter((e) => e.payload[field] === id && e.payload.sourceSystem === source);
  const letters = () => out.json<{ payload: { rawValue: string; reason: { code: string; field?: string; rule?: string; message: string } } }>(topic(TOPICS.deadLetter));
  const letterOf = (eventId: string) => letters().find((l) => Buffer.from(l.payload.rawValue, 'base64').toString().includes(`"eventId":"${eventId}"`));
  async function metric(name: string, labels: Record<string, string>): Promise<number> {
    const text = await (await fetch(`${ingest.url}/metrics`)).text();
    const lines = text.split('\n').filter((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
    return lines.reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
  }
  async function figures(customerId: string, until: (f: any) => boolean) {
    return waitFor(async () => {
      const res = await fetch(`${profile.url}/v1/customers/${customerId}`, { headers: { authorization: `Bearer ${await token(['BRANCH_MANAGER'])}`, 'x-access-purpose': 'issue 9 check' } });
      const body = res.status === 200 ? ((await res.json()) as any) : undefined;
      return body && until(body.figures) ? body.figures : undefined;
    }, 60_000, `the profile of ${customerId}`);
  }

  beforeAll(async () => {
    ingestEnv = serviceTestEnv('ingest', { PORT: String(await freePort()) });
    const p = serviceTestEnv('profile', { PORT: String(await freePort()) });
    profileEnv = { ...p, KAFKA_TOPIC_PREFIX: ingestEnv.KAFKA_TOPIC_PREFIX, JWT_SECRET: ingestEnv.JWT_SECRET };
    kafka = testKafka();
    await ensureTopics(kafka, Object.values(TOPICS).map((t) => ({ topic: t })), { topicPrefix: ingestEnv.KAFKA_TOPIC_PREFIX });
    [ingest, profile] = await Promise.all([startService('ingest', ingestEnv), startService('profile', profileEnv)]);
    procs.push(ingest, profile);
    producer = kafka.producer();
    await producer.connect();
    publisher = new EventPublisher(kafka, { topicPrefix: ingestEnv.KAFKA_TOPIC_PREFIX });
    out = await new TopicReader(kafka, [TOPICS.transaction, TOPICS.interaction, TOPICS.deadLetter].map(topic)).start();
  });

  afterAll(async () => {
    await Promise.all(procs.map((p) => p.stop()));
    await out?.stop();
    await producer?.disconnect();
    await publisher?.disconnect();
  });

  it('POST /v1/events: the same transaction and interaction under new eventIds are duplicates by their key; other content is rejected naming it; the profile counts each once', async () => {
    const source = uniqueName('cb-http');
    const first = [customerEvent(source, 'R1', person()), transactionEvent(source, 'R1', { transactionId: 'T-100', amount: '88.00' }), interactionEvent(source, 'R1', 'I-100')];
    const a = await postEvents(first);
    expect(a.results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);
    const customerId = a.results[0].customerId;

    const [txn, login] = [first[1], first[2]];
    const b = await postEvents([
      reExport(txn),
      txn, // the same envelope again
      reExport(txn, { amount: '88.01' }),
      reExport(login),
      reExport(login, { kind: 'COMPLAINT' }),
    ]);
    expect(b.results.map((r) => [r.status, r.duplicateKey ?? r.errors?.map((e: any) => [e.field, e.rule])])).toEqual([
      ['duplicate', 'transactionId'],
      ['duplicate', 'eventId'],
      ['rejected', [['transactionId', 'isConsistentRepost']]],
      ['duplicate', 'interactionId'],
      ['rejected', [['interactionId', 'isConsistentRepost']]],
    ]);
    expect(b.results[0].customerId).toBe(customerId);
    expect(b.results[2].errors[0].message).toContain('T-100');

    // Within one batch: the first of a key is taken, the second repeats it or conflicts with it.
    const t2 = transactionEvent(source, 'R1', { transactionId: 'T-200', amount: '10.00' });
    const c = await postEvents([t2, reExport(t2), reExport(t2, { amount: '11.00' })]);
    expect(c.results.map((r) => [r.status, r.duplicateKey ?? r.errors?.[0]?.field])).toEqual([['accepted', undefined], ['duplicate', 'transactionId'], ['rejected', 'transactionId']]);
    expect(c.results[1].customerId).toBe(customerId);

    // A rejected record is judged again when re-sent (its eventId was not kept as taken on).
    const conflicting = reExport(txn, { amount: '99.00' });
    for (let i = 0; i < 2; i++) expect((await postEvents([conflicting])).results[0]).toMatchObject({ status: 'rejected', errors: [{ field: 'transactionId', rule: 'isConsistentRepost' }] });
    // Twice in one batch: the copy is rejected the same way, not answered duplicate.
    expect((await postEvents([conflicting, conflicting])).results.map((r) => [r.status, r.errors?.[0]?.rule])).toEqual([['rejected', 'isConsistentRepost'], ['rejected', 'isConsistentRepost']]);

    // Published once each; the profile counts each once.
    await waitFor(() => publishedFact(TOPICS.transaction, 'transactionId', 'T-200', source).length >= 1, 30_000, 'T-200 published');
    await new Promise((r) => setTimeout(r, 500));
    expect(publishedFact(TOPICS.transaction, 'transactionId', 'T-100', source)).toHaveLength(1);
    expect(publishedFact(TOPICS.transaction, 'transactionId', 'T-200', source)).toHaveLength(1);
    expect(publishedFact(TOPICS.interaction, 'interactionId', 'I-100', source)).toHaveLength(1);
    const f = await figures(customerId, (x) => x.txnCount90d >= 2);
    expect([f.txnCount90d, f.txnAmount90dMinor, f.appLogins30d]).toEqual([2, 98_00, 1]);
    expect(await metric('meridian_ingest_duplicates_total', { door: 'http', key: 'transactionId' })).toBe(2);
    expect(await metric('meridian_ingest_duplicates_total', { door: 'http', key: 'interactionId' })).toBe(1);
  });

  it('POST /v1/events: the same transaction under ten eventIds at once is published once', async () => {
    const source = uniqueName('cb-race');
    const txn = transactionEvent(source, 'R1', { transactionId: 'T-RACE' });
    const answers = await Promise.all(Array.from({ length: 10 }, () => postEvents([reExport(txn)])));
    const statuses = answers.map((a) => a.results[0].status).sort();
    expect(statuses).toEqual(['accepted', ...Array(9).fill('duplicate')]);
    // A duplicate learnt from the durable guard rather than the window has no customerId (ADR 0006); none names another.
    const accepted = answers.find((a) => a.results[0].status === 'accepted')!.results[0].customerId;
    expect(answers.map((a) => a.results[0].customerId ?? accepted)).toEqual(Array(10).fill(accepted));
    await waitFor(() => publishedFact(TOPICS.transaction, 'transactionId', 'T-RACE', source).length >= 1, 30_000, 'T-RACE published');
    await new Promise((r) => setTimeout(r, 500));
    expect(publishedFact(TOPICS.transaction, 'transactionId', 'T-RACE', source)).toHaveLength(1);
  });

  it('Kafka core.*.v1: the same transaction and interaction under new eventIds are skipped and counted; other content is dead-lettered with the rule; the profile counts each once', async () => {
    const source = uniqueName('cb-kafka');
    const key = `${source}:K1`;
    const customer = customerEvent(source, 'K1', person());
    const txn = transactionEvent(source, 'K1', { transactionId: 'T-300', amount: '50.00' });
    const login = interactionEvent(source, 'K1', 'I-300');
    const [txnAgain, txnOther, loginAgain, loginOther] = [reExport(txn), reExport(txn, { amount: '50.50' }), reExport(login), reExport(login, { channel: 'WECHAT' })];
    const before = { transactionId: await metric('meridian_ingest_duplicates_total', { door: 'kafka', key: 'transactionId' }), skipped: await metric('meridian_messages_consumed_total', { outcome: 'duplicate' }) };
    const send = (t: string, events: EnvelopeInit[]) => producer.send({ topic: topic(t), messages: events.map((e) => ({ key, value: JSON.stringify(e) })) });
    await send(TOPICS.coreCustomers, [customer]);
    await send(TOPICS.coreTransactions, [txn, txnAgain, txnOther]);
    await send(TOPICS.coreInteractions, [login, loginAgain, loginOther]);

    await waitFor(() => letterOf(txnOther.eventId) && letterOf(loginOther.eventId), 60_000, 'two dead letters');
    expect(letterOf(txnOther.eventId)!.payload.reason).toMatchObject({ code: 'REJECTED', field: 'transactionId', rule: 'isConsistentRepost' });
    expect(letterOf(loginOther.eventId)!.payload.reason).toMatchObject({ code: 'REJECTED', field: 'interactionId', rule: 'isConsistentRepost' });
    expect(letterOf(txnAgain.eventId)).toBeUndefined();
    await waitFor(async () => (await metric('meridian_ingest_duplicates_total', { door: 'kafka', key: 'interactionId' })) >= 1, 30_000, 'the interaction duplicate counted');
    expect(await metric('meridian_ingest_duplicates_total', { door: 'kafka', key: 'transactionId' })).toBe(before.transactionId + 1);
    expect(await metric('meridian_messages_consumed_total', { outcome: 'duplicate' })).toBeGreaterThanOrEqual(before.skipped + 2);

    expect(publishedFact(TOPICS.transaction, 'transactionId', 'T-300', source).map((e) => e.eventId)).toEqual([txn.eventId]);
    expect(publishedFact(TOPICS.interaction, 'interactionId', 'I-300', source).map((e) => e.eventId)).toEqual([login.eventId]);
    const customerId = publishedFact(TOPICS.transaction, 'transactionId', 'T-300', source)[0].customerId!;
    const f = await figures(customerId, (x) => x.txnCount90d >= 1 && x.appLogins30d >= 1);
    expect([f.txnCount90d, f.txnAmount90dMinor, f.appLogins30d]).toEqual([1, 50_00, 1]);
  });

  it('profile, as defence in depth: canonical copies of one transaction and one interaction under two eventIds count once', async () => {
    const customerId = uniqueName('C').toUpperCase();
    const canonical = (t: string, type: string, payload: Record<string, unknown>) => {
      const e = sampleEnvelope(t, type, { customerId, occurredAt: '2026-03-05T10:00:00+08:00' });
      Object.assign(e.payload as object, { sourceSystem: 'core-banking', ...payload });
      return { topic: t, envelope: e };
    };
    const txn = canonical(TOPICS.transaction, 'TransactionPosted', { transactionId: 'T-DEF', amountMinor: 70_00, balanceAfterMinor: undefined, category: 'PURCHASE', direction: 'DEBIT', bookedAt: '2026-03-05T10:00:00+08:00' });
    const login = canonical(TOPICS.interaction, 'InteractionRecorded', { interactionId: 'I-DEF', channel: 'APP', kind: 'LOGIN', text: undefined, csat: undefined, nps: undefined, ticketId: undefined });
    const copy = (e: typeof txn) => ({ topic: e.topic, envelope: { ...e.envelope, eventId: `${e.envelope.eventId}-copy` } });
    const other = canonical(TOPICS.transaction, 'TransactionPosted', { transactionId: 'T-DEF-2', amountMinor: 30_00, balanceAfterMinor: undefined, category: 'PURCHASE', direction: 'DEBIT', bookedAt: '2026-03-05T10:00:00+08:00' });
    await publisher.publishAll([canonical(TOPICS.customer, 'CustomerUpserted', { sourceCustomerId: `S-${customerId}`, birthDate: undefined }), txn, copy(txn), login, copy(login), other]);
    const f = await figures(customerId, (x) => x.txnCount90d >= 2);
    await new Promise((r) => setTimeout(r, 1_000)); // a late copy would have been folded by now
    const again = await figures(customerId, () => true);
    expect([again.txnCount90d, again.txnAmount90dMinor, again.appLogins30d]).toEqual([2, 100_00, 1]);
    expect(f.txnCount90d).toBe(2);
  });
});

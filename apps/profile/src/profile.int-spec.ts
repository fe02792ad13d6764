import { EnvelopeInit, Role, TOPICS } from '@meridian/events';
import { residentId, sampleEnvelope } from '@meridian/events/testing';
import { EventPublisher, ensureTopics } from '@meridian/events/kafka';
import {
  ServiceProcess,
  TopicReader,
  freePort,
  serviceTestEnv,
  signTestToken,
  startService,
  testKafka,
  testServers,
  uniqueName,
  waitFor,
} from '@meridian/shared/testing';
import { Kafka } from 'kafkajs';
import mongoose, { Connection } from 'mongoose';

/**
 * Issue 4 "must show": the profile service as a real process against real Kafka, a
 * MongoDB-wire server and Redis — materialisation, redelivery, replay equality, stale
 * snapshots, encryption at rest, masking per role and scope, audit, timeline, export,
 * erasure, merges and splits, the cache.
 */
describe('profile (real Kafka, MongoDB-wire server and Redis)', () => {
  let env: Record<string, string>;
  let profile: ServiceProcess;
  let kafka: Kafka;
  let publisher: EventPublisher;
  let out: TopicReader;
  let db: Connection;
  const procs: ServiceProcess[] = [];
  const dbs: Connection[] = [];
  let n = 0;

  const topic = (t: string) => env.KAFKA_TOPIC_PREFIX + t;
  const token = (roles: Role[], sub = 'user-1', branchId = 'BR001') => signTestToken(env.JWT_SECRET, { roles, sub, branchId });
  async function get(path: string, roles: Role[], sub?: string, branchId?: string, url = profile.url) {
    const res = await fetch(url + path, { headers: { authorization: `Bearer ${await token(roles, sub, branchId)}`, 'x-access-purpose': 'complaint follow-up' } });
    return { status: res.status, body: (await res.json()) as any };
  }
  async function post(path: string, body: unknown, roles: Role[], sub?: string, url = profile.url) {
    const res = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${await token(roles, sub)}` }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any };
  }
  const updates = (customerId: string) => out.json<{ type: string; payload: any }>(topic(TOPICS.profile)).filter((e) => e.payload.customerId === customerId);
  /** The original records dead-lettered so far, decoded. */
  const deadLettered = () => out.json<{ payload?: { rawValue?: string } }>(topic(TOPICS.deadLetter)).map((d) => Buffer.from(d.payload?.rawValue ?? '', 'base64').toString());
  const governance = (type: string) => out.json<{ type: string; payload: any }>(topic(TOPICS.governance)).filter((e) => e.type === type);

  /** Canonical events for one customer, as ingest publishes them. */
  function canonical(customerId: string) {
    const at = (day: string, time = '10:00:00') => `2026-${day}T${time}+08:00`;
    const ev = (t: string, type: string, occurredAt: string, payload: Record<string, unknown>): { topic: string; envelope: EnvelopeInit } => {
      const e = sampleEnvelope(t, type, { customerId, occurredAt, eventId: `${customerId}-${++n}` });
      Object.assign(e.payload as object, payload);
      return { topic: t, envelope: e };
    };
    return {
      customer: (day: string, over: Record<string, unknown> = {}) => ev(TOPICS.customer, 'CustomerUpserted', at(day), { sourceCustomerId: `S-${customerId}`, idNumber: residentId('19880214', '110105', String(100 + (n % 800))), name: '张三', phone: '13812345678', email: 'zhang@example.com', birthDate: undefined, branchId: 'BR001', rmId: 'RM-1', ...over }),
      opened: (day: string, productId: string, productType: string) => ev(TOPICS.product, 'ProductOpened', at(day), { productId, productType, openedAt: at(day) }),
      closed: (day: string, productId: string, productType: string) => ev(TOPICS.product, 'ProductClosed', at(day), { productId, productType, closedAt: at(day) }),
      balance: (day: string, productId: string, productType: string, balanceMinor: number, time?: string) =>
        ev(TOPICS.product, 'BalanceSnapshot', at(day, time), { productId, productType, balanceMinor, currency: 'CNY', balanceCnyMinor: undefined }),
      txn: (day: string, amountMinor: number, over: Record<string, unknown> = {}) =>
        ev(TOPICS.transaction, 'TransactionPosted', at(day), { transactionId: `T${n}`, amountMinor, balanceAfterMinor: undefined, category: 'PURCHASE', direction: 'DEBIT', bookedAt: at(day), ...over }),
      login: (day: string) => ev(TOPICS.interaction, 'InteractionRecorded', at(day), { interactionId: `I${n}`, channel: 'APP', kind: 'LOGIN', text: undefined, csat: undefined, nps: undefined, ticketId: undefined }),
      satisfaction: (day: string, csat: number) => ev(TOPICS.ticket, 'SatisfactionRecorded', at(day), { customerId, ticketId: `TK${n}`, csat, nps: 8 }),
    };
  }

  /** Records of the input topics a consumer group has not committed yet. */
  async function lag(group: string) {
    const admin = kafka.admin();
    await admin.connect();
    try {
      let total = 0;
      for (const t of [TOPICS.customer, TOPICS.product, TOPICS.transaction, TOPICS.interaction, TOPICS.ticket, TOPICS.governance]) {
        const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic(t)] });
        const ends = await admin.fetchTopicOffsets(topic(t));
        for (const p of ends) total += Number(p.high) - Math.max(0, Number(committed.partitions.find((c) => c.partition === p.partition)?.offset ?? 0));
      }
      return total;
    } finally {
      await admin.disconnect();
    }
  }

  async function publish(events: Array<{ topic: string; envelope: EnvelopeInit }>) {
    await publisher.publishAll(events);
  }

  /** Waits until the profile has folded events up to `version`. */
  async function profileAt(customerId: string, version: number, roles: Role[] = ['BRANCH_MANAGER'], sub?: string, branchId?: string) {
    return waitFor(async () => {
      const r = await get(`/v1/customers/${customerId}`, roles, sub, branchId);
      return r.status === 200 && r.body.version >= version ? r.body : undefined;
    }, 60_000, `${customerId} at version ${version}`);
  }

  beforeAll(async () => {
    env = serviceTestEnv('profile', { PORT: String(await freePort()) });
    kafka = testKafka();
    await ensureTopics(kafka, Object.values(TOPICS).map((t) => ({ topic: t })), { topicPrefix: env.KAFKA_TOPIC_PREFIX });
    profile = await startService('profile', env);
    procs.push(profile);
    publisher = new EventPublisher(kafka, { topicPrefix: env.KAFKA_TOPIC_PREFIX });
    out = await new TopicReader(kafka, [topic(TOPICS.profile), topic(TOPICS.governance), topic(TOPICS.deadLetter)]).start();
    db = await mongoose.createConnection(testServers().mongoUri, { dbName: env.MONGODB_DATABASE }).asPromise();
    dbs.push(db);
    await waitFor(async () => (await fetch(`${profile.url}/health`)).status === 200, 60_000, 'profile healthy');
  });

  afterAll(async () => {
    if (process.env.PROFILE_TEST_DEBUG) for (const p of procs) console.log(p.output());
    await Promise.all(procs.map((p) => p.stop()));
    await out?.stop();
    await publisher?.disconnect();
    for (const c of dbs) {
      if (c.name.startsWith('test_')) await c.dropDatabase();
      await c.close();
    }
  });

  it('materialises the 360° profile and announces what changed', async () => {
    const id = uniqueName('C').toUpperCase();
    const c = canonical(id);
    await publish([
      c.customer('03-01'),
      c.opened('01-10', 'TD-1', 'DEPOSIT_TIME'),
      c.balance('03-20', 'TD-1', 'DEPOSIT_TIME', 600_000_00),
      c.opened('02-01', 'CC-1', 'CREDIT_CARD'),
      c.balance('03-20', 'CC-1', 'CREDIT_CARD', 12_345_00),
      c.txn('03-25', 1_000_00),
      c.txn('03-26', 2_000_00, { category: 'FEE' }),
      c.login('03-27'),
      c.satisfaction('03-28', 4),
    ]);
    const view = await profileAt(id, 9);
    expect(view).toMatchObject({
      customerId: id,
      access: 'FULL',
      identity: { name: '张三', phone: '13812345678', email: 'zhang@example.com', customerType: 'PERSONAL' },
      branchId: 'BR001',
      rmId: 'RM-1',
      figures: { aumMinor: 600_000_00, liabilitiesMinor: 12_345_00, txnCount30d: 1, txnAmount30dMinor: 1_000_00, appLogins30d: 1, latestCsat: 4, ageBand: '36-45' },
    });
    expect(view.figures.productsHeld).toEqual(['CREDIT_CARD', 'DEPOSIT_TIME']);
    expect(view.products.find((p: any) => p.productId === 'TD-1')).toMatchObject({ status: 'OPEN', balanceMinor: 600_000_00 });
    expect(view.lastTransactionAt).toBe('2026-03-25T10:00:00+08:00');
    const last = await waitFor(() => updates(id).find((u) => u.payload.features.aumMinor === 600_000_00 && u.payload.features.latestCsat === 4 && u.payload.features.txnCount30d === 1), 30_000, 'the ProfileUpdated of the whole story');
    expect(last.payload.features).toMatchObject({ aumMinor: 600_000_00, productsHeld: ['CREDIT_CARD', 'DEPOSIT_TIME'], txnCount30d: 1, tags: [], latestCsat: 4 });
    expect(updates(id).every((u) => u.payload.changedFields.length > 0)).toBe(true);
    expect(JSON.stringify(updates(id))).not.toContain('13812345678');
  });

  it('keeps a newer balance when a late, older snapshot arrives, and announces nothing for it', async () => {
    const id = uniqueName('C').toUpperCase();
    const c = canonical(id);
    await publish([c.customer('03-01'), c.opened('01-10', 'TD-1', 'DEPOSIT_TIME'), c.balance('03-20', 'TD-1', 'DEPOSIT_TIME', 800_00, '15:00:00')]);
    await profileAt(id, 3);
    // The view answers version 3 a moment before its ProfileUpdated is read back: count once it is.
    await waitFor(async () => updates(id).some((u) => u.payload.version === 3) || (await out.readToEnd(), false), 30_000, 'version 3 announced');
    const before = updates(id).length;
    await publish([c.balance('03-20', 'TD-1', 'DEPOSIT_TIME', 100_00, '09:00:00')]);
    const view = await profileAt(id, 4);
    expect(view.figures.aumMinor).toBe(800_00);
    await new Promise((r) => setTimeout(r, 500));
    expect(updates(id)).toHaveLength(before);
  });

  it('counts a redelivered or republished event once', async () => {
    const id = uniqueName('C').toUpperCase();
    const c = canonical(id);
    const t = c.txn('03-25', 5_000_00);
    await publish([c.customer('03-01'), t]);
    await profileAt(id, 2);
    await publish([t, t, c.txn('03-26', 1_00)]); // a producer retry, twice, then a new one
    const view = await profileAt(id, 3);
    expect(view.figures).toMatchObject({ txnCount30d: 2, txnAmount30dMinor: 5_001_00 });
    await new Promise((r) => setTimeout(r, 500));
    expect((await get(`/v1/customers/${id}`, ['BRANCH_MANAGER'])).body.version).toBe(3);
  });

  it('encrypts PII and balances at rest; look-ups go through the blind index', async () => {
    const id = uniqueName('C').toUpperCase();
    const c = canonical(id);
    const idNumber = residentId('19790707', '310101', '987');
    await publish([c.customer('03-01', { idNumber, name: '欧阳娜娜', phone: '13987654321', email: 'ouyang.nana@example.com' }), c.opened('01-10', 'W-1', 'WEALTH'), c.balance('03-20', 'W-1', 'WEALTH', 987_654_321)]);
    await profileAt(id, 3);
    const raw = JSON.stringify(
      await Promise.all(['profiles', 'profile_events', 'pii_index', 'data_keys'].map((name) => db.collection(name).find({}).toArray())),
    );
    for (const secret of [idNumber, '欧阳娜娜', 'ouyang.nana', '13987654321', '987654321']) expect(raw).not.toContain(secret);
    expect(raw).toContain(id); // the documents are there, just sealed

    const byId = await get(`/v1/customers?idNumber=${idNumber}`, ['BRANCH_MANAGER']);
    expect(byId.body.customers.map((x: any) => x.customerId)).toEqual([id]);
    const byPhone = await get(`/v1/customers?phone=13987654321`, ['TELLER']);
    expect(byPhone.body.customers[0]).toMatchObject({ customerId: id, identity: { phone: '1********21' } });
    expect((await get(`/v1/customers?phone=13900000000`, ['TELLER'])).body).toEqual({ customers: [] });
    expect((await get(`/v1/customers?phone=12`, ['TELLER'])).status).toBe(400);
  });

  it('masks by role, enforces RM and branch scope, and audits every unmasked read', async () => {
    const id = uniqueName('C').toUpperCase();
    const c = canonical(id);
    const idNumber = residentId('19880214', '110105', '321');
    await publish([c.customer('03-01', { idNumber, branchId: 'BR777', rmId: 'rm-alice' }), c.opened('01-10', 'TD-1', 'DEPOSIT_TIME'), c.balance('03-20', 'TD-1', 'DEPOSIT_TIME', 50_000_00)]);
    await profileAt(id, 3, ['TELLER'], 'teller-7', 'BR777');

    const teller = await get(`/v1/customers/${id}`, ['TELLER'], 'teller-7', 'BR777');
    expect(teller.body).toMatchObject({ access: 'MASKED', identity: { name: '**', phone: '1********78', idNumber: `${idNumber.slice(0, 3)}************${idNumber.slice(-3)}`, email: 'z***@***com' } });
    expect(teller.body.figures.aumMinor).toBeUndefined();
    expect(teller.body.figures.age).toBeUndefined(); // the band, not the birth year
    expect(teller.body.figures.ageBand).toBe('36-45');
    expect(teller.body.sources).toBeUndefined(); // source references are identity keys
    expect(teller.body.products[0].balanceMinor).toBeUndefined();

    // A teller or agent of another branch, an executive, marketing: refused; look-ups find nothing for them.
    expect((await get(`/v1/customers/${id}`, ['TELLER'], 'teller-1', 'BR001')).status).toBe(403);
    expect((await get(`/v1/customers/${id}`, ['TELLER', 'AUDITOR'], 'teller-2', 'BR001')).status).toBe(403); // another role does not widen a teller's branch
    expect((await get(`/v1/customers/${id}/timeline`, ['SERVICE_AGENT'], 'agent-1', 'BR001')).status).toBe(403);
    expect((await get(`/v1/customers?idNumber=${idNumber}`, ['TELLER'], 'teller-1', 'BR001')).body).toEqual({ customers: [] });
    expect((await get(`/v1/customers?idNumber=${idNumber}`, ['TELLER'], 'teller-7', 'BR777')).body.customers[0]).toMatchObject({ customerId: id, access: 'MASKED' });
    for (const role of ['EXECUTIVE', 'MARKETING'] as const) {
      expect((await get(`/v1/customers/${id}`, [role])).status).toBe(403);
      expect((await get(`/v1/customers?idNumber=${idNumber}`, [role])).status).toBe(403);
    }

    expect((await get(`/v1/customers/${id}`, ['RM'], 'rm-bob')).status).toBe(403);
    expect((await get(`/v1/customers/${id}`, ['BRANCH_MANAGER'], 'bm-1', 'BR001')).status).toBe(403);
    expect((await get(`/v1/customers/${id}`, ['AUDITOR'])).status).toBe(403);
    const rm = await get(`/v1/customers/${id}`, ['RM'], 'rm-alice');
    expect(rm.body).toMatchObject({ access: 'FULL', identity: { name: '张三', idNumber } });
    const manager = await get(`/v1/customers/${id}`, ['BRANCH_MANAGER'], 'bm-7', 'BR777');
    expect(manager.body.figures.aumMinor).toBe(50_000_00);

    const audits = await waitFor(() => {
      const list = governance('PiiAccessed').filter((a) => a.payload.customerId === id);
      return list.length >= 2 ? list : undefined;
    }, 30_000, 'PiiAccessed for the RM and the branch manager');
    expect(audits.map((a) => a.payload.actor).sort()).toEqual(['bm-7', 'rm-alice']);
    expect(audits[0].payload).toMatchObject({ fields: expect.arrayContaining(['name', 'idNumber', 'phone', 'balances']), purpose: 'complaint follow-up' });
    expect(governance('PiiAccessed').some((a) => a.payload.customerId === id && a.payload.actor === 'user-1')).toBe(false); // masked reads are not PII reads
    expect((await fetch(`${profile.url}/v1/customers/${id}`)).status).toBe(401);
  });

  it('pages the timeline, newest first', async () => {
    const id = uniqueName('C').toUpperCase();
    const c = canonical(id);
    await publish([c.customer('03-01'), ...[10, 11, 12, 13, 14].map((d) => c.txn(`03-${d}`, d * 100))]);
    await profileAt(id, 6);
    const first = await get(`/v1/customers/${id}/timeline?limit=4`, ['TELLER']);
    expect(first.body.items.map((i: any) => i.occurredAt.slice(5, 10))).toEqual(['03-14', '03-13', '03-12', '03-11']);
    expect(first.body.items[0].summary.amountMinor).toBeUndefined(); // a teller sees no amounts
    const second = await get(`/v1/customers/${id}/timeline?limit=4&cursor=${first.body.nextCursor}`, ['TELLER']);
    expect(second.body.items.map((i: any) => i.type)).toEqual(['TransactionPosted', 'CustomerUpserted']);
    expect(second.body.nextCursor).toBeUndefined();
    expect((await get(`/v1/customers/${id}/timeline?limit=4&cursor=bm90LWEtY3Vyc29y`, ['TELLER'])).status).toBe(400);
    // Decodable but not a cursor: the time must be an ISO date and the eventId non-empty (400 naming the field, never a 500).
    for (const pair of [['x', 'y'], ['2026-03-12T10:00:00+08:00', ''], ['2026-02-30T10:00:00+08:00', 'e-1'], [1_741_744_800_000, 'e-1']]) {
      const bad = await get(`/v1/customers/${id}/timeline?limit=4&cursor=${Buffer.from(JSON.stringify(pair)).toString('base64url')}`, ['TELLER']);
      expect({ pair, status: bad.status }).toEqual({ pair, status: 400 });
      expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'cursor', rule: 'isTimelineCursor' })]);
    }
    // Amounts are for FULL access, and reading them is audited.
    expect((await get(`/v1/customers/${id}/timeline?limit=4`, ['BRANCH_MANAGER'], 'bm-timeline')).body.items[0].summary.amountMinor).toBe(1_400);
    const audit = await waitFor(() => governance('PiiAccessed').find((a) => a.payload.customerId === id && a.payload.actor === 'bm-timeline'), 30_000, 'PiiAccessed for the timeline');
    expect(audit.payload.fields).toEqual(['amounts']);
    // The teller's pages (user-1) were masked: no timeline read of theirs is audited.
    expect(governance('PiiAccessed').some((a) => a.payload.customerId === id && a.payload.actor === 'user-1' && a.payload.fields.includes('amounts'))).toBe(false);
  });

  it('serves hot profiles from Redis and drops them on every change', async () => {
    const id = uniqueName('C').toUpperCase();
    const c = canonical(id);
    await publish([c.customer('03-01'), c.txn('03-10', 100)]);
    await profileAt(id, 2);
    const cached = await waitFor(async () => {
      const { default: Redis } = await import('ioredis');
      const redis = new Redis(testServers().redisUrl);
      const value = await redis.get(`${env.MONGODB_DATABASE}:profile:v2:${id}`);
      redis.disconnect();
      return value ?? undefined;
    }, 10_000, 'the cached profile');
    expect(cached).not.toContain('张三'); // cached as stored: sealed
    await publish([c.txn('03-11', 200)]);
    expect((await profileAt(id, 3)).figures.txnCount30d).toBe(2);
  });

  it('exports everything held, then erases: key destroyed, tombstone, CustomerErased; later events resurrect nothing', async () => {
    const id = uniqueName('C').toUpperCase();
    const c = canonical(id);
    await publish([c.customer('03-01', { name: '李四', phone: '13711112222' }), c.txn('03-10', 100)]);
    await profileAt(id, 2);
    expect((await get(`/v1/customers/${id}/export`, ['BRANCH_MANAGER'])).status).toBe(403);
    const exported = await get(`/v1/customers/${id}/export`, ['ADMIN']);
    expect(exported.body).toMatchObject({ customerId: id, profile: { identity: { name: '李四', phone: '13711112222' } } });
    expect(exported.body.events.map((e: any) => e.type)).toEqual(['CustomerUpserted', 'TransactionPosted']);
    expect(exported.body.events[0].payload.name).toBe('李四');

    const erased = await post(`/v1/customers/${id}/erasure`, { reason: 'PIPL request #42' }, ['ADMIN']);
    expect(erased).toMatchObject({ status: 200, body: { customerId: id, status: 'ERASED', keysDestroyed: 1 } });
    await waitFor(() => governance('CustomerErased').find((e) => e.payload.customerId === id), 30_000, 'CustomerErased');
    await waitFor(() => updates(id).find((u) => u.payload.status === 'ERASED'), 30_000, 'ProfileUpdated ERASED');
    expect((await get(`/v1/customers/${id}`, ['BRANCH_MANAGER'])).status).toBe(410);
    expect(await db.collection('data_keys').findOne({ _id: id } as any)).toBeNull();
    expect((await get(`/v1/customers?phone=13711112222`, ['TELLER'])).body).toEqual({ customers: [] });

    await publish([c.customer('03-20', { name: '李四', phone: '13711112222' }), c.txn('03-21', 300)]);
    const markerId = uniqueName('C').toUpperCase();
    await publish([canonical(markerId).customer('03-01')]);
    await profileAt(markerId, 1); // the later events of the erased customer were consumed by now
    const doc = (await db.collection('profiles').findOne({ _id: id } as any)) as any;
    expect(doc).toMatchObject({ status: 'ERASED', erasedBy: 'user-1' });
    expect(doc.sealed).toBeUndefined();
    expect(await db.collection('data_keys').findOne({ _id: id } as any)).toBeNull();
    expect(JSON.stringify(await db.collection('profile_events').find({ customerId: id } as any).toArray())).not.toContain('李四');
    expect((await post(`/v1/customers/${id}/erasure`, {}, ['ADMIN'])).status).toBe(410);
  });

  it('folds a merged customer into the survivor without double counting, points the merged id to it, and splits both again on an unmerge', async () => {
    const a = uniqueName('CA').toUpperCase();
    const b = uniqueName('CB').toUpperCase();
    const ca = canonical(a);
    const cb = canonical(b);
    await publish([ca.customer('03-01'), ca.opened('01-01', 'A-TD', 'DEPOSIT_TIME'), ca.balance('03-20', 'A-TD', 'DEPOSIT_TIME', 100_000_00), ca.txn('03-21', 1_00)]);
    await publish([cb.customer('02-01', { phone: '13600001111' }), cb.opened('02-01', 'B-FUND', 'FUND'), cb.balance('03-20', 'B-FUND', 'FUND', 50_000_00), cb.txn('03-22', 2_00), cb.txn('03-23', 3_00)]);
    await profileAt(a, 4);
    await profileAt(b, 5);

    const merged = sampleEnvelope(TOPICS.governance, 'IdentityMerged', { customerId: a, eventId: uniqueName('merge'), occurredAt: '2026-03-24T10:00:00+08:00' });
    merged.payload = { mergeId: 'M1', survivorId: a, mergedId: b, evidence: [{ kind: 'ID_NUMBER', keyHash: 'a'.repeat(64) }] };
    await publish([{ topic: TOPICS.governance, envelope: merged }, { topic: TOPICS.governance, envelope: merged }]); // and redelivered
    const survivor = await waitFor(async () => {
      const r = await get(`/v1/customers/${a}`, ['BRANCH_MANAGER']);
      return r.body.mergedFrom?.includes(b) ? r.body : undefined;
    }, 60_000, 'the merge');
    expect(survivor.figures).toMatchObject({ aumMinor: 150_000_00, txnCount30d: 3, txnAmount30dMinor: 6_00 });
    expect(survivor.figures.productsHeld).toEqual(['DEPOSIT_TIME', 'FUND']);
    expect((await get(`/v1/customers/${b}`, ['BRANCH_MANAGER'])).body).toEqual({ customerId: b, status: 'MERGED', mergedInto: a });
    await waitFor(() => updates(b).find((u) => u.payload.status === 'MERGED' && u.payload.mergedInto === a), 30_000, 'ProfileUpdated MERGED');

    // The survivor's own next event, then a late event of the merged customer: it lands on the survivor.
    await publish([ca.txn('03-24', 5_00)]);
    await waitFor(async () => (await get(`/v1/customers/${a}`, ['BRANCH_MANAGER'])).body.figures.txnCount30d === 4, 60_000, 'the survivor\'s own event');
    await publish([cb.txn('03-25', 4_00)]);
    const after = await waitFor(async () => {
      const r = await get(`/v1/customers/${a}`, ['BRANCH_MANAGER']);
      return r.body.figures.txnCount30d === 5 ? r.body : undefined;
    }, 60_000, 'the late event folded into the survivor');
    expect(after.figures.txnAmount30dMinor).toBe(15_00);

    const unmerged = sampleEnvelope(TOPICS.governance, 'IdentityUnmerged', { customerId: a, eventId: uniqueName('unmerge'), occurredAt: '2026-03-26T10:00:00+08:00' });
    unmerged.payload = { mergeId: 'M1', survivorId: a, restoredId: b, undoneBy: 'admin-1' };
    await publish([{ topic: TOPICS.governance, envelope: unmerged }]);
    const restored = await waitFor(async () => {
      const r = await get(`/v1/customers/${b}`, ['BRANCH_MANAGER']);
      return r.status === 200 && r.body.status === 'ACTIVE' ? r.body : undefined;
    }, 60_000, 'the split');
    expect(restored.figures).toMatchObject({ txnCount30d: 3, productsHeld: ['FUND'] });
    const split = (await get(`/v1/customers/${a}`, ['BRANCH_MANAGER'])).body;
    expect(split.figures).toMatchObject({ aumMinor: 100_000_00, txnCount30d: 2, txnAmount30dMinor: 6_00, productsHeld: ['DEPOSIT_TIME'] });
    expect(split.mergedFrom).toBeUndefined();
  });

  /** A customer's timeline index documents, by key (root, its pages, their buckets; ProfileEventLogRepository). */
  async function timelineIndexOf(customerId: string) {
    const root = (await db.collection('timeline_roots').findOne({ _id: customerId } as any)) as any;
    const pageIds: string[] = (root?.pages ?? ['']).map((from: string) => `${customerId}|${from}`);
    const pages = (await Promise.all(pageIds.map((id) => db.collection('timeline_pages').findOne({ _id: id } as any)))).filter(Boolean) as any[];
    const bucketIds: string[] = (pages.length ? pages.flatMap((p) => p.buckets) : ['']).map((from: string) => `${customerId}|${from}`);
    const buckets = (await Promise.all(bucketIds.map((id) => db.collection('timeline_buckets').findOne({ _id: id } as any)))).filter(Boolean);
    return { roots: root ? 1 : 0, pages: pages.length, buckets: buckets.length };
  }

  /** IdentityMerged as ingest publishes it (keyed by the survivor). */
  function mergeEvent(survivorId: string, mergedId: string, day: string) {
    const e = sampleEnvelope(TOPICS.governance, 'IdentityMerged', { customerId: survivorId, eventId: uniqueName('merge'), occurredAt: `2026-${day}T10:00:00+08:00` });
    e.payload = { mergeId: uniqueName('M'), survivorId, mergedId, evidence: [{ kind: 'ID_NUMBER', keyHash: 'b'.repeat(64) }] };
    return { topic: TOPICS.governance, envelope: e };
  }

  it('follows a merge chain that arrives out of order: M→S after S→T lands M in T, never a resurrected S', async () => {
    const [t, sid, m] = ['CT', 'CS', 'CM'].map((p) => uniqueName(p).toUpperCase());
    for (const [id, day, amount] of [[t, '03-10', 1_00], [sid, '03-11', 2_00], [m, '03-12', 4_00]] as const) {
      const c = canonical(id);
      await publish([c.customer('03-01', { idNumber: residentId('19900101', '110105', String(100 + (++n % 800))) }), c.txn(day, amount)]);
      await profileAt(id, 2);
    }
    await publish([mergeEvent(t, sid, '03-20')]);
    await waitFor(async () => ((await get(`/v1/customers/${sid}`, ['BRANCH_MANAGER'])).body.mergedInto === t ? true : undefined), 60_000, 'S merged into T');
    await publish([mergeEvent(sid, m, '03-19')]); // the earlier merge, late
    const final = await waitFor(async () => {
      const r = await get(`/v1/customers/${t}`, ['BRANCH_MANAGER']);
      return r.body.mergedFrom?.includes(m) ? r.body : undefined;
    }, 60_000, 'M folded into T');
    expect(final.mergedFrom).toEqual([sid, m].sort());
    expect(final.figures).toMatchObject({ txnCount30d: 3, txnAmount30dMinor: 7_00 });
    expect((await get(`/v1/customers/${sid}`, ['BRANCH_MANAGER'])).body).toEqual({ customerId: sid, status: 'MERGED', mergedInto: t });
    expect((await get(`/v1/customers/${m}`, ['BRANCH_MANAGER'])).body).toEqual({ customerId: m, status: 'MERGED', mergedInto: t });

    // The merge M→S undone: M is released from where the chain ends (T), S stays in T.
    const unmerge = sampleEnvelope(TOPICS.governance, 'IdentityUnmerged', { customerId: sid, eventId: uniqueName('unmerge'), occurredAt: '2026-03-21T10:00:00+08:00' });
    unmerge.payload = { mergeId: 'M-chain', survivorId: sid, restoredId: m, undoneBy: 'admin-1' };
    await publish([{ topic: TOPICS.governance, envelope: unmerge }]);
    const restored = await waitFor(async () => {
      const r = await get(`/v1/customers/${m}`, ['BRANCH_MANAGER']);
      return r.body.status === 'ACTIVE' ? r.body : undefined;
    }, 60_000, 'M restored');
    expect(restored.figures).toMatchObject({ txnCount30d: 1, txnAmount30dMinor: 4_00 });
    const split = (await get(`/v1/customers/${t}`, ['BRANCH_MANAGER'])).body;
    expect(split.mergedFrom).toEqual([sid]);
    expect(split.figures).toMatchObject({ txnCount30d: 2, txnAmount30dMinor: 3_00 });
  });

  it('applies a merge whose survivor is cached at an older version (the cache write failed after the database write), not dead-lettering it', async () => {
    const [a, b] = ['CSA', 'CSB'].map((p) => uniqueName(p).toUpperCase());
    const [ca, cb] = [canonical(a), canonical(b)];
    await publish([ca.customer('03-01')]);
    await profileAt(a, 1);
    const { default: Redis } = await import('ioredis');
    const redis = new Redis(testServers().redisUrl);
    const cacheKey = `${env.MONGODB_DATABASE}:profile:v2:${a}`;
    const v1 = await waitFor(async () => (await redis.get(cacheKey)) ?? undefined, 10_000, 'version 1 cached');
    await publish([ca.txn('03-02', 1_00), cb.customer('03-02', { idNumber: residentId('19920202', '110105', '777') })]);
    await profileAt(a, 2);
    await profileAt(b, 1);
    await redis.set(cacheKey, v1); // version 2 is in the database; its cache write "failed"
    redis.disconnect();

    const merge = mergeEvent(a, b, '03-05');
    await publish([merge]);
    const outcome = await waitFor(async () => {
      if (deadLettered().some((raw) => raw.includes(merge.envelope.eventId))) return 'dead-lettered';
      const doc = (await db.collection('profiles').findOne({ _id: a } as any)) as any;
      return doc?.mergedFrom?.includes(b) ? 'applied' : undefined;
    }, 60_000, 'the merge applied or dead-lettered');
    expect(outcome).toBe('applied');
    const survivor = await waitFor(async () => {
      const r = await get(`/v1/customers/${a}`, ['BRANCH_MANAGER']);
      return r.body.mergedFrom?.includes(b) ? r.body : undefined;
    }, 30_000, 'the merged survivor served');
    expect(survivor.figures).toMatchObject({ txnCount30d: 1, txnAmount30dMinor: 1_00 });
    expect((await get(`/v1/customers/${b}`, ['BRANCH_MANAGER'])).body).toEqual({ customerId: b, status: 'MERGED', mergedInto: a });
    expect(deadLettered().some((raw) => raw.includes(merge.envelope.eventId))).toBe(false);
  });

  it('folds a merged customer\'s late event into the survivor when the cache still holds it ACTIVE (the pointer\'s cache write failed), not dead-lettering it', async () => {
    const [a, b] = ['CPA', 'CPB'].map((p) => uniqueName(p).toUpperCase());
    const [ca, cb] = [canonical(a), canonical(b)];
    await publish([ca.customer('03-01'), cb.customer('03-02', { idNumber: residentId('19930303', '110105', '888') })]);
    await profileAt(a, 1);
    await profileAt(b, 1);
    const { default: Redis } = await import('ioredis');
    const redis = new Redis(testServers().redisUrl);
    const cacheKey = `${env.MONGODB_DATABASE}:profile:v2:${b}`;
    const active = await waitFor(async () => (await redis.get(cacheKey)) ?? undefined, 10_000, 'B cached ACTIVE');
    await publish([mergeEvent(a, b, '03-05')]);
    await waitFor(async () => ((await db.collection('profiles').findOne({ _id: b } as any)) as any)?.status === 'MERGED' || undefined, 60_000, 'B merged into A');
    await redis.set(cacheKey, active); // the pointer is in the database; its cache write "failed"
    redis.disconnect();

    const late = cb.txn('03-06', 7_00);
    await publish([late]);
    const outcome = await waitFor(async () => {
      if (deadLettered().some((raw) => raw.includes(late.envelope.eventId as string))) return 'dead-lettered';
      const r = await get(`/v1/customers/${a}`, ['BRANCH_MANAGER']);
      return r.body.figures?.txnCount30d === 1 ? 'folded into the survivor' : undefined;
    }, 60_000, 'the late event folded or dead-lettered');
    expect(outcome).toBe('folded into the survivor');
    expect((await get(`/v1/customers/${a}`, ['BRANCH_MANAGER'])).body.figures.txnAmount30dMinor).toBe(7_00);
  });

  it('erasing a survivor erases everyone merged into it: their keys, their look-ups', async () => {
    const [a, b] = ['CEA', 'CEB'].map((p) => uniqueName(p).toUpperCase());
    const [ca, cb] = [canonical(a), canonical(b)];
    await publish([ca.customer('03-01', { phone: '13500002222' }), cb.customer('03-02', { phone: '13500003333', idNumber: residentId('19910101', '110105', '555') })]);
    await profileAt(a, 1);
    await profileAt(b, 1);
    await publish([mergeEvent(a, b, '03-05')]);
    await waitFor(async () => ((await get(`/v1/customers/${a}`, ['BRANCH_MANAGER'])).body.mergedFrom?.includes(b) ? true : undefined), 60_000, 'the merge');
    for (const id of [a, b]) expect((await timelineIndexOf(id)).buckets).toBe(1); // a small timeline: one bucket, its root and page implicit
    const erased = await post(`/v1/customers/${a}/erasure`, { reason: 'PIPL request #43' }, ['ADMIN']);
    expect(erased).toMatchObject({ status: 200, body: { status: 'ERASED', keysDestroyed: 2 } });
    for (const phone of ['13500002222', '13500003333']) expect((await get(`/v1/customers?phone=${phone}`, ['TELLER'])).body).toEqual({ customers: [] });
    expect(await db.collection('data_keys').countDocuments({ _id: { $in: [a, b] } } as any)).toBe(0);
    expect(await db.collection('pii_index').countDocuments({ customerId: { $in: [a, b] } })).toBe(0);
    // The timeline index (times and eventIds of their events) goes too, by key.
    for (const id of [a, b]) expect(await timelineIndexOf(id)).toEqual({ roots: 0, pages: 0, buckets: 0 });
  });

  it('finishes an erasure that was cut short (tombstone written, keys and announcements not yet) instead of answering 410', async () => {
    const id = uniqueName('C').toUpperCase();
    const c = canonical(id);
    await publish([c.customer('03-01', { phone: '13400004444' })]);
    await profileAt(id, 1);
    // The state an outage leaves between the tombstone and the rest: what ProfileEraser writes first.
    const announcement = sampleEnvelope(TOPICS.governance, 'CustomerErased', { customerId: id, eventId: `erased-${id}`, occurredAt: '2026-03-30T10:00:00+08:00' });
    announcement.payload = { customerId: id, erasedBy: 'admin-first' };
    await db.collection('profiles').updateOne({ _id: id } as any, {
      $set: { status: 'ERASED', version: 2, erasedAt: '2026-03-30T02:00:00.000Z', erasedBy: 'admin-first', pendingAnnouncements: [{ topic: TOPICS.governance, envelope: announcement }] },
      $unset: { sealed: '', outbox: '' },
    });
    const { default: Redis } = await import('ioredis');
    const redis = new Redis(testServers().redisUrl);
    await redis.del(`${env.MONGODB_DATABASE}:profile:v2:${id}`);
    redis.disconnect();
    expect(await db.collection('data_keys').countDocuments({ _id: id } as any)).toBe(1);

    const retried = await post(`/v1/customers/${id}/erasure`, {}, ['ADMIN'], 'admin-second');
    expect(retried).toMatchObject({ status: 200, body: { customerId: id, status: 'ERASED', erasedBy: 'admin-first', erasedAt: '2026-03-30T02:00:00.000Z', keysDestroyed: 1 } });
    expect(await db.collection('data_keys').countDocuments({ _id: id } as any)).toBe(0);
    expect((await get(`/v1/customers?phone=13400004444`, ['TELLER'])).body).toEqual({ customers: [] });
    expect(await db.collection('pii_index').countDocuments({ customerId: id })).toBe(0);
    await waitFor(() => governance('CustomerErased').find((e) => e.payload.customerId === id), 30_000, 'the pending CustomerErased');
    expect(((await db.collection('profiles').findOne({ _id: id } as any)) as any).pendingAnnouncements).toBeUndefined();
    expect((await post(`/v1/customers/${id}/erasure`, {}, ['ADMIN'])).status).toBe(410);
  });

  it('a redelivered run announces the stored ProfileUpdated again and puts the look-up keys back, even when it also folds new events that change nothing', async () => {
    const id = uniqueName('C').toUpperCase();
    const c = canonical(id);
    await publish([c.customer('03-01')]);
    await profileAt(id, 1);
    const admin = kafka.admin();
    await admin.connect();
    const before = await admin.fetchTopicOffsets(topic(TOPICS.product));
    await publish([c.opened('01-10', 'TD-9', 'DEPOSIT_TIME'), c.balance('03-20', 'TD-9', 'DEPOSIT_TIME', 500_00, '15:00:00')]);
    await profileAt(id, 3);
    const v3 = await waitFor(() => updates(id).find((u) => u.payload.version === 3), 30_000, 'ProfileUpdated v3');

    // The service goes down as if it crashed before committing (and before indexing); meanwhile a stale snapshot (no change) arrives.
    await profile.stop();
    await db.collection('pii_index').deleteMany({ customerId: id });
    await publish([c.balance('03-20', 'TD-9', 'DEPOSIT_TIME', 100_00, '09:00:00')]);
    await admin.setOffsets({ groupId: env.KAFKA_GROUP_ID, topic: topic(TOPICS.product), partitions: before.map((p) => ({ partition: p.partition, offset: p.high })) });
    await admin.disconnect();
    profile = await startService('profile', env);
    procs.push(profile);

    expect((await profileAt(id, 4)).figures.aumMinor).toBe(500_00);
    const again = await waitFor(() => {
      const list = updates(id).filter((u) => u.payload.version === 3);
      return list.length >= 2 ? list : undefined;
    }, 60_000, 'ProfileUpdated v3 announced again');
    expect(again.every((u: any) => u.eventId === (v3 as any).eventId)).toBe(true);
    expect(updates(id).some((u) => u.payload.version === 4)).toBe(false); // the stale snapshot changed nothing
    expect(await db.collection('pii_index').countDocuments({ customerId: id })).toBeGreaterThanOrEqual(1);
  });

  it('an erasure over HTTP on a second instance while the customer\'s events are being folded: erased at the end, nothing resurrected (issue 9, point 3)', async () => {
    const second = await startService('profile', { ...env, PORT: String(await freePort()) });
    procs.push(second);
    await waitFor(async () => (await fetch(`${second.url}/health`)).status === 200, 60_000, 'second profile healthy');
    const id = uniqueName('C').toUpperCase();
    const c = canonical(id);
    await publish([c.customer('03-01', { phone: '13622223333' })]);
    await profileAt(id, 1);
    const stream = (async () => {
      for (let k = 0; k < 12; k++) {
        await publish([c.txn('03-10', 100 + k), c.login('03-11'), c.balance('03-12', 'CA-1', 'DEPOSIT_CURRENT', 1_000_00 + k), c.customer('03-13', { phone: '13622223333', email: `z${k}@example.com` })]);
      }
    })();
    await profileAt(id, 3);
    const erased = await post(`/v1/customers/${id}/erasure`, { reason: 'PIPL request #77' }, ['ADMIN'], 'admin-9', second.url);
    await stream;
    expect(erased).toMatchObject({ status: 200, body: { customerId: id, status: 'ERASED', erasedBy: 'admin-9', keysDestroyed: 1 } });
    await waitFor(async () => (await lag(env.KAFKA_GROUP_ID)) === 0, 120_000, 'every event of the stream consumed');
    await second.stop();

    const doc = (await db.collection('profiles').findOne({ _id: id } as any)) as any;
    expect(doc).toMatchObject({ status: 'ERASED', erasedBy: 'admin-9' });
    expect(doc.sealed).toBeUndefined();
    expect(await db.collection('data_keys').countDocuments({ _id: id } as any)).toBe(0);
    expect(await db.collection('pii_index').countDocuments({ customerId: id })).toBe(0);
    for (const c of ['timeline_roots', 'timeline_pages', 'timeline_buckets']) {
      const ids = ((await db.collection(c).find({}).project({ _id: 1 }).toArray()) as any[]).map((d) => String(d._id));
      expect(ids.filter((d) => d === id || d.startsWith(`${id}|`))).toEqual([]);
    }
    expect((await get(`/v1/customers/${id}`, ['BRANCH_MANAGER'])).status).toBe(410);
    expect((await get(`/v1/customers?phone=13622223333`, ['TELLER'])).body).toEqual({ customers: [] });
    await out.readToEnd();
    expect(updates(id).at(-1)?.payload.status).toBe('ERASED');
    const newest = Math.max(...updates(id).map((u) => u.payload.version));
    expect(updates(id).filter((u) => u.payload.version === newest).every((u) => u.payload.status === 'ERASED')).toBe(true);
  });

  it('replaying every input topic from the beginning into an empty database rebuilds the same profiles', async () => {
    // Everything the tests above published, folded again by a second service with its own database and group.
    const replayEnv = { ...env, PORT: String(await freePort()), MONGODB_DATABASE: `test_${uniqueName('replay')}`.slice(0, 63), KAFKA_GROUP_ID: uniqueName('replay'), FIELD_ENCRYPTION_MASTER_KEY: env.FIELD_ENCRYPTION_MASTER_KEY };
    const replay = await startService('profile', replayEnv);
    procs.push(replay);
    const replayDb = await mongoose.createConnection(testServers().mongoUri, { dbName: replayEnv.MONGODB_DATABASE }).asPromise();
    dbs.push(replayDb);
    const originals = (await db.collection('profiles').find({}).toArray()) as any[];
    expect(originals.length).toBeGreaterThanOrEqual(10);
    await waitFor(async () => (await lag(replayEnv.KAFKA_GROUP_ID)) === 0 && (await lag(env.KAFKA_GROUP_ID)) === 0, 120_000, 'both groups caught up');
    const replayed = new Map(((await replayDb.collection('profiles').find({}).toArray()) as any[]).map((d) => [d._id, d]));
    for (const original of originals) {
      const copy = replayed.get(original._id);
      expect({ id: original._id, status: copy?.status }).toEqual({ id: original._id, status: original.status });
      if (original.status !== 'ACTIVE') continue;
      const [x, y] = await Promise.all([get(`/v1/customers/${original._id}/export`, ['ADMIN']), get(`/v1/customers/${original._id}/export`, ['ADMIN'], undefined, undefined, replay.url)]);
      // The version counts folds, and a merge or split bumps it past its count: history, not content.
      const { version: vx, ...px } = x.body.profile;
      const { version: vy, ...py } = y.body.profile;
      expect(JSON.stringify(py)).toBe(JSON.stringify(px));
      if (!original.mergedFrom && !/^C[AB]_/.test(original._id)) expect(vy).toBe(vx);
    }
  });
});

import { ProfileFeatures, Role } from '@meridian/events';
import { signTestToken, uniqueName, waitFor } from '@meridian/shared/testing';
import { SegmentationHarness, features as harnessFeatures, update } from './testing/segmentation-harness';

/**
 * Issue 10, segment definitions: /v1/segments on the built service against the real servers —
 * roles, hostile rules refused naming the path, a segment defined after its customers were
 * evaluated back-filled (each ENTERED once), streaming moving members of a defined segment,
 * an edit and a delete moving them out and in, members paged by key.
 */
describe('segmentation /v1/segments (real Kafka, MongoDB-wire server and Redis)', () => {
  const CNY = 100;
  let h: SegmentationHarness;

  const moves = (segmentId: string) => h.segmentEvents().filter((e) => e.type === 'SegmentMembershipChanged' && e.payload.segmentId === segmentId).map((e) => `${e.payload.change} ${e.customerId}`);
  /** The harness's customer, paid through payroll, transacting the day before it is seen. */
  const features = (over: Partial<ProfileFeatures>): ProfileFeatures => harnessFeatures({ tags: ['PAYROLL'], lastTransactionAt: '2026-11-29T00:00:00Z', asOf: '2026-11-30T00:00:00Z', ...over });
  const evaluated = (customerId: string, version: number) => h.evaluated([customerId], version, 60_000);
  const http = (method: string, path: string, roles: Role[], body?: unknown) => h.http(method, path, roles, body);
  /** Waits until the segment's back-fill of this version is done; answers it. */
  async function backfilled(segmentId: string, version: number) {
    const done = await waitFor(async () => {
      const r = await http('GET', `/v1/segments/${segmentId}/backfill`, ['MARKETING']);
      return r.body?.version === version && r.body.state === 'DONE' ? r.body : undefined;
    }, 60_000, `${segmentId} v${version} back-filled`);
    await h.out.readToEnd();
    return done;
  }
  const members = async (segmentId: string) => (await http('GET', `/v1/segments/${segmentId}/members?limit=500`, ['MARKETING'])).body.members as string[];

  beforeAll(async () => {
    h = await SegmentationHarness.start({ SEGMENT_BACKFILL_BATCH: '2', SEGMENT_BACKFILL_LOCK_SECONDS: '10' }, { sub: 'mkt-1' });
  }, 120_000);

  afterAll(() => h?.stop());

  it('lets MARKETING and ADMIN write definitions and the readers read them; others get 403, unknown ids 404', async () => {
    const rule = { tier: { $in: ['GOLD', 'DIAMOND'] } };
    expect((await http('POST', '/v1/segments', ['RM'], { name: 'x', rule })).status).toBe(403);
    expect((await fetch(`${h.service.url}/v1/segments`)).status).toBe(401);
    const created = await http('POST', '/v1/segments', ['MARKETING'], { name: 'Gold and up', description: 'tier GOLD or DIAMOND', rule });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.stringMatching(/^seg-[a-z2-9]{12}$/), name: 'Gold and up', description: 'tier GOLD or DIAMOND', rule, version: 1, createdBy: 'mkt-1', backfill: { version: 1 } });
    const id = created.body.id as string;
    for (const role of ['RM', 'BRANCH_MANAGER', 'EXECUTIVE', 'AUDITOR', 'ADMIN'] as Role[]) {
      expect((await http('GET', `/v1/segments/${id}`, [role])).status).toBe(200);
      expect((await http('GET', '/v1/segments', [role])).body.map((s: { id: string }) => s.id)).toContain(id);
    }
    expect((await http('GET', `/v1/segments/${id}`, ['TELLER'])).status).toBe(403);
    expect((await http('GET', `/v1/segments/${id}/members`, ['EXECUTIVE'])).status).toBe(403);
    expect((await http('GET', '/v1/segments/seg-nosuchsegment', ['MARKETING'])).status).toBe(404);
    expect((await http('PUT', '/v1/segments/seg-nosuchsegment', ['MARKETING'], { name: 'x', rule })).status).toBe(404);

    const edited = await http('PUT', `/v1/segments/${id}`, ['ADMIN'], { name: 'Gold and up (edited)', rule: { tier: 'DIAMOND' } });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ id, name: 'Gold and up (edited)', rule: { tier: 'DIAMOND' }, version: 2 });
    expect(edited.body.description).toBeUndefined();
    expect((await http('GET', `/v1/segments/${id}`, ['EXECUTIVE'])).body).toMatchObject({ version: 2, name: 'Gold and up (edited)' });

    expect((await http('DELETE', `/v1/segments/${id}`, ['RM'])).status).toBe(403);
    const deleted = await http('DELETE', `/v1/segments/${id}`, ['MARKETING']);
    expect(deleted.status).toBe(202);
    expect(deleted.body).toMatchObject({ id, version: 3, deletedAt: expect.any(String) });
    expect((await http('GET', `/v1/segments/${id}`, ['MARKETING'])).status).toBe(404);
    expect((await http('GET', '/v1/segments', ['MARKETING'])).body.map((s: { id: string }) => s.id)).not.toContain(id);
    expect((await http('DELETE', `/v1/segments/${id}`, ['MARKETING'])).status).toBe(404);
    expect((await backfilled(id, 3)).state).toBe('DONE');
  }, 120_000);

  const deep = (n: number): Record<string, unknown> => (n === 0 ? { aumMinor: 1 } : { $and: [deep(n - 1)] });
  it.each<[string, unknown, { field: unknown; rule: string }]>([
    ['$where', { $where: 'sleep(10000)' }, { field: 'rule.$where', rule: 'isAllowedOperator' }],
    ['$function in a branch', { $or: [{ tier: 'GOLD' }, { aumMinor: { $function: { body: 'return true', args: [], lang: 'js' } } }] }, { field: 'rule.$or[1].aumMinor.$function', rule: 'isAllowedOperator' }],
    ['200-deep nesting', deep(200), { field: expect.stringMatching(/^rule(\.\$and\[0\])+$/), rule: 'isWithinDepth' }],
    ['an unknown operator', { aumMinor: { $near: 5 } }, { field: 'rule.aumMinor.$near', rule: 'isAllowedOperator' }],
    ['an unknown field', { 'features.password': 'x' }, { field: 'rule.features.password', rule: 'isKnownField' }],
    ['a wrong kind of value', { tier: 'PLATINUM' }, { field: 'rule.tier', rule: 'isFieldKindValue' }],
    ['a rule over its byte limit', { tags: { $in: Array.from({ length: 400 }, (_, i) => `T${i}`.padEnd(100, 'x')) } }, { field: 'rule', rule: 'isWithinSize' }],
    ['no rule', undefined, { field: 'rule', rule: 'isDefined' }],
  ])('refuses %s with 400 naming the path, writing nothing', async (_, rule, expected) => {
    const res = await http('POST', '/v1/segments', ['MARKETING'], { name: 'hostile', rule });
    expect(res.status).toBe(400);
    expect(res.type).toContain('application/problem+json');
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: expected.field, rule: expected.rule, message: expect.any(String) })]));
    expect((await http('GET', '/v1/segments', ['MARKETING'])).body.map((s: { name: string }) => s.name)).not.toContain('hostile');
  });

  it('answers bodies it cannot take with a 4xx, never a 500: 1 MB, 60 000 levels deep, not JSON, bad names and extra fields', async () => {
    const big = await http('POST', '/v1/segments', ['MARKETING'], { name: 'big', rule: { tags: { $in: ['x'.repeat(1_100_000)] } } });
    expect(big.status).toBe(413);
    expect(big.body.errors[0]).toMatchObject({ field: 'body', rule: 'maxBodySize' });
    const nested = `{"name":"deep","rule":${'{"$and":['.repeat(60_000)}{}${']}'.repeat(60_000)}}`;
    const deepBody = await http('POST', '/v1/segments', ['MARKETING'], nested);
    // Parsed (under 1 MB), then refused by the rule check before anything walks it.
    expect(deepBody.status).toBe(400);
    expect(deepBody.body.errors).toEqual([expect.objectContaining({ field: 'rule', rule: 'isJsonValue' })]);
    expect((await http('POST', '/v1/segments', ['MARKETING'], '{"name":')).status).toBe(400);
    const bad = await http('PUT', '/v1/segments/seg-whatever', ['MARKETING'], { name: '', rule: { tier: 'GOLD' }, owner: 'me' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['name', 'owner']);
    expect((await http('POST', '/v1/segments', ['MARKETING'], { name: 'x'.repeat(101), rule: { tier: 'GOLD' } })).body.errors[0].field).toBe('name');
    expect((await http('POST', '/v1/segments', ['MARKETING'], [1, 2])).status).toBe(400);
  });

  it('back-fills a segment defined after its customers, then streaming, an edit and the delete move them in and out, each move once', async () => {
    const marker = uniqueName('M');
    const [rich1, rich2, poor] = [uniqueName('C'), uniqueName('C'), uniqueName('C')];
    await h.publisher.publishAll([
      update(rich1, 1, features({ tags: ['PAYROLL', marker] })),
      update(rich2, 1, features({ tags: ['PAYROLL', marker] })),
      update(poor, 1, features({ tags: ['PAYROLL', marker], aumMinor: 10_000 * CNY })),
    ]);
    for (const id of [rich1, rich2, poor]) await evaluated(id, 1);

    const created = await http('POST', '/v1/segments', ['MARKETING'], { name: 'Rich payroll', rule: { tags: { $all: [marker] }, aumMinor: { $gte: 500_000 * CNY } } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const first = await backfilled(id, 1);
    expect(first).toMatchObject({ entered: 2, exited: 0 });
    expect(first.read).toBeGreaterThanOrEqual(3);
    expect(await members(id)).toEqual([rich1, rich2].sort());
    expect((await http('GET', `/v1/segments/${id}`, ['EXECUTIVE'])).body).toMatchObject({ size: 2, backfill: { state: 'DONE', entered: 2 } });
    expect(moves(id).sort()).toEqual([`ENTERED ${rich1}`, `ENTERED ${rich2}`].sort());
    const mine = await http('GET', `/v1/customers/${rich1}/segments`, ['SERVICE_AGENT']);
    expect(mine.status).toBe(200);
    expect(mine.body.segments).toEqual(expect.arrayContaining([{ id, kind: 'SEGMENT', name: 'Rich payroll' }, { id: 'tag:PAYROLL', kind: 'TAG', code: 'PAYROLL', labels: { zh: expect.any(String), en: expect.any(String) } }]));
    expect((await http('GET', `/v1/customers/${rich1}/segments`, ['TELLER'])).status).toBe(403);
    expect((await http('GET', '/v1/customers/C-never-seen/segments', ['RM'])).status).toBe(404);

    // Streaming already reads the segment: the poor customer grows rich, a rich one grows poor.
    await h.publisher.publishAll([update(poor, 2, features({ tags: ['PAYROLL', marker], asOf: '2026-11-30T01:00:00Z' })), update(rich1, 2, features({ tags: ['PAYROLL', marker], aumMinor: 10_000 * CNY, asOf: '2026-11-30T01:00:00Z' }))]);
    await evaluated(poor, 2);
    await evaluated(rich1, 2);
    expect(await members(id)).toEqual([rich2, poor].sort());
    await h.out.readToEnd();
    expect(moves(id).slice(2).sort()).toEqual([`ENTERED ${poor}`, `EXITED ${rich1}`].sort());

    // The rule turned round: the poor one in, the rich ones out.
    expect((await http('PUT', `/v1/segments/${id}`, ['MARKETING'], { name: 'Poor payroll', rule: { tags: { $all: [marker] }, aumMinor: { $lt: 500_000 * CNY } } })).status).toBe(200);
    expect(await backfilled(id, 2)).toMatchObject({ entered: 1, exited: 2 });
    expect(await members(id)).toEqual([rich1]);
    expect(moves(id).slice(4).sort()).toEqual([`ENTERED ${rich1}`, `EXITED ${rich2}`, `EXITED ${poor}`].sort());

    // Deleted: everyone out, and the segment evaluated no more.
    expect((await http('DELETE', `/v1/segments/${id}`, ['ADMIN'])).status).toBe(202);
    expect(await backfilled(id, 3)).toMatchObject({ entered: 0, exited: 1 });
    expect((await http('GET', `/v1/segments/${id}/members`, ['MARKETING'])).status).toBe(404);
    expect(await h.db.collection('segment_states').countDocuments({ _id: { $in: [rich1, rich2, poor] }, memberships: id } as never)).toBe(0);
    await h.publisher.publishAll([update(rich2, 2, features({ tags: ['PAYROLL', marker], aumMinor: 10_000 * CNY, asOf: '2026-11-30T02:00:00Z' }))]);
    await evaluated(rich2, 2);
    await h.out.readToEnd();
    expect(moves(id).slice(7)).toEqual([`EXITED ${rich1}`]);
    // Every move announced once.
    const eventIds = h.segmentEvents().filter((e) => e.payload.segmentId === id).map((e) => e.eventId);
    expect(new Set(eventIds).size).toBe(eventIds.length);
  }, 240_000);

  it('pages members by key: each exactly once, in order, with the size; a tag pages the same way', async () => {
    const marker = uniqueName('P');
    const ids = Array.from({ length: 7 }, () => uniqueName('C'));
    await h.publisher.publishAll(ids.map((c) => update(c, 1, features({ tags: ['PAYROLL', marker] }))));
    for (const c of ids) await evaluated(c, 1);
    const id = (await http('POST', '/v1/segments', ['MARKETING'], { name: 'Paged', rule: { tags: { $all: [marker] } } })).body.id as string;
    await backfilled(id, 1);

    const pages: string[][] = [];
    let after: string | undefined;
    for (;;) {
      const page = await http('GET', `/v1/segments/${id}/members?limit=3${after ? `&after=${after}` : ''}`, ['BRANCH_MANAGER']);
      expect(page.status).toBe(200);
      expect(page.body.size).toBe(7);
      pages.push(page.body.members);
      after = page.body.next;
      if (!after) break;
    }
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual([...ids].sort());

    const tagPage = await http('GET', '/v1/segments/tag:PAYROLL/members?limit=2', ['RM']);
    expect(tagPage.status).toBe(200);
    expect(tagPage.body.members).toHaveLength(2);
    expect(tagPage.body.size).toBeGreaterThanOrEqual(7);
    const nextTagPage = await http('GET', `/v1/segments/tag:PAYROLL/members?limit=2&after=${tagPage.body.next}`, ['RM']);
    expect(nextTagPage.body.members[0] > tagPage.body.members[1]).toBe(true);
    expect((await http('GET', '/v1/segments/tag:NO_SUCH_TAG/members', ['RM'])).status).toBe(404);
    for (const limit of ['0', '501', 'x']) expect((await http('GET', `/v1/segments/${id}/members?limit=${limit}`, ['MARKETING'])).status).toBe(400);
  }, 180_000);

  it('documents the routes in OpenAPI', async () => {
    const openapi = (await (await fetch(`${h.service.url}/docs/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/v1/segments', '/v1/segments/{segmentId}', '/v1/segments/{segmentId}/members', '/v1/segments/{segmentId}/backfill', '/v1/customers/{customerId}/segments']));
    expect(Object.keys(openapi.paths['/v1/segments/{segmentId}']).sort()).toEqual(['delete', 'get', 'put']);
  });

  it('a segment written on another instance is evaluated by this one’s stream from its next event (the edition in Redis)', async () => {
    // Another instance on the same database and Redis, consuming other topics: its writes reach this one only through the rule book.
    const other = await h.startAnother({ KAFKA_TOPIC_PREFIX: `${h.env.KAFKA_TOPIC_PREFIX}other.`, KAFKA_GROUP_ID: `${h.env.KAFKA_GROUP_ID ?? 'segmentation'}-other` });
    try {
      const call = async (method: string, path: string, body: unknown) =>
        fetch(other.url + path, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${await signTestToken(h.env.JWT_SECRET, { roles: ['MARKETING'], sub: 'mkt-2' })}` }, body: JSON.stringify(body) });
      const marker = uniqueName('X');
      const created = await call('POST', '/v1/segments', { name: 'Elsewhere', rule: { tags: { $all: [marker] } } });
      expect(created.status).toBe(201);
      const id = ((await created.json()) as { id: string }).id;
      const customer = uniqueName('C');
      await h.publisher.publishAll([update(customer, 1, features({ tags: [marker] }))]);
      await evaluated(customer, 1);
      expect(await members(id)).toEqual([customer]);
      await h.out.readToEnd();
      expect(moves(id)).toEqual([`ENTERED ${customer}`]);

      expect((await call('PUT', `/v1/segments/${id}`, { name: 'Elsewhere', rule: { tags: { $all: [marker] }, aumMinor: { $gte: 1_000_000 * CNY } } })).status).toBe(200);
      await h.publisher.publishAll([update(customer, 2, features({ tags: [marker], asOf: '2026-11-30T03:00:00Z' }))]);
      await evaluated(customer, 2);
      await waitFor(async () => (await members(id)).length === 0, 30_000, 'the customer out by the edited rule');
    } finally {
      if (process.env.SEGMENTATION_TEST_DEBUG) console.log(other.output());
      await other.stop();
    }
  }, 180_000);

  it('a back-fill killed mid-way resumes after its checkpoint on restart: every matching customer in, each ENTERED once', async () => {
    const marker = uniqueName('K');
    const ids = Array.from({ length: 300 }, () => uniqueName('C'));
    const rich = new Set(ids.filter((_, i) => i % 2 === 0));
    await h.publisher.publishAll(ids.map((c) => update(c, 1, features({ tags: [marker], aumMinor: (rich.has(c) ? 600_000 : 10_000) * CNY }))));
    await waitFor(async () => (await h.redis.hmget(`${h.env.MONGODB_DATABASE}:seg:settled`, ...ids)).every((rev) => rev !== null), 120_000, 'all evaluated');

    const id = (await http('POST', '/v1/segments', ['MARKETING'], { name: 'Killed', rule: { tags: { $all: [marker] }, aumMinor: { $gte: 500_000 * CNY } } })).body.id as string;
    const midway = await waitFor(async () => {
      const r = await http('GET', `/v1/segments/${id}/backfill`, ['MARKETING']);
      return r.body?.read >= 40 ? r.body : undefined;
    }, 60_000, 'the back-fill under way');
    await h.kill();
    expect(midway.state).toBe('RUNNING');

    // Restarted, it waits out the dead holder's lease and goes on from the last customer checkpointed.
    await h.startService();
    const done = await waitFor(async () => {
      const r = await http('GET', `/v1/segments/${id}/backfill`, ['MARKETING']);
      return r.body?.state === 'DONE' ? r.body : undefined;
    }, 120_000, 'the back-fill resumed and finished');
    await h.out.readToEnd();
    // Resumed from the checkpoint, not from the start: each customer counted once (a step cut short is counted when done again).
    expect(done.read).toBe(await h.db.collection('segment_states').countDocuments({}));
    expect(await members(id)).toEqual([...rich].sort());
    const entered = h.segmentEvents().filter((e) => e.type === 'SegmentMembershipChanged' && e.payload.segmentId === id);
    expect(new Set(entered.map((e) => e.customerId))).toEqual(rich);
    expect(new Set(entered.map((e) => e.eventId)).size).toBe(rich.size);
  }, 300_000);
});

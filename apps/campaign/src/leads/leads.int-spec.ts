import { LeadAssigned, Role, TOPICS } from '@meridian/events';
import { newEnvelope } from '@meridian/events/kafka';
import { signTestToken, testServers, uniqueName, waitFor } from '@meridian/shared/testing';
import Redis from 'ioredis';
import type { CampaignConfig } from '../config/campaign.config';
import { CampaignHarness } from '../testing/campaign-harness';
import type { RmDirectory } from './application/ports/rm-roster.port';
import { RedisRmRoster } from './infrastructure/redis-rm-roster';

/**
 * Leads on real Kafka, the MongoDB-wire server and Redis (issue 13, points 1–2): scored on the
 * events that move them with each factor explained, at or above 70 to the customer's own RM, else
 * to the branch's least-loaded RM with capacity — atomically, so leads racing for the last slots
 * never overfill an RM — and moved off an RM who is away.
 */
describe('campaign: leads', () => {
  const h = new CampaignHarness();

  beforeAll(() => h.start({}), 120_000);
  afterAll(() => h.stop());

  async function as(roles: Role[], method: string, path: string, body?: unknown, sub = 'tester', branchId?: string) {
    const token = await signTestToken(h.env.JWT_SECRET, { roles, sub, branchId });
    const res = await fetch(`${h.service.url}${path}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, ...(body !== undefined && { body: JSON.stringify(body) }) });
    return { status: res.status, body: (await res.json()) as any };
  }

  const putRm = (rmId: string, branchId: string, status = 'ACTIVE', capacity?: number) => as(['ADMIN'], 'PUT', `/v1/rms/${rmId}`, { branchId, status, ...(capacity !== undefined && { capacity }) });
  const assignedTo = async (customerId: string, n = 1) =>
    waitFor(async () => {
      const seen = (await h.published<LeadAssigned>('LeadAssigned')).filter((e) => e.payload.customerId === customerId);
      return seen.length >= n ? seen : undefined;
    }, 60_000, `${n} LeadAssigned for ${customerId}`);
  const leadsOf = (query: string, roles: Role[] = ['MARKETING'], sub?: string, branchId?: string) => as(roles, 'GET', `/v1/leads${query}`, undefined, sub, branchId);

  it('scores a lead on the events that move it, explains it, and gives it to the own RM once it reaches 70', async () => {
    const branchId = uniqueName('BR');
    // Equally loaded RMs are taken by id: the pool's RM sorts first.
    const base = uniqueName('RM');
    const [own, pool] = [`${base}-2own`, `${base}-1pool`];
    expect((await putRm(own, branchId)).status).toBe(200);
    expect((await putRm(pool, branchId, 'ACTIVE', 5)).status).toBe(200);
    // 7 million CNY, holding all a DIAMOND customer usually holds: 35 points, below the 40 a lead needs.
    const customerId = await h.customer({ aumMinor: 700_000_000, branchId, rmId: own, productsHeld: ['DEPOSIT_CURRENT', 'WEALTH', 'FUND', 'INSURANCE', 'DEPOSIT_TIME'] }, 'DIAMOND');
    const at = new Date().toISOString();
    await h.publisher.publishAll([{ topic: TOPICS.segment, envelope: newEnvelope('SegmentMembershipChanged', { customerId, segmentId: 'tag:HIGH_POTENTIAL', change: 'ENTERED' }, { source: 'meridian-segmentation', customerId, occurredAt: at }) }]);
    // 55 < 70: the branch's least-loaded RM.
    const [first] = await assignedTo(customerId);
    expect(first.payload).toEqual(expect.objectContaining({ rmId: pool, score: 55, leadId: `lead-${customerId}-1` }));
    // A wealth inquiry: 75, the customer's own RM.
    const inquiry = { sourceSystem: 'cc', sourceCustomerId: `CB-${customerId}`, interactionId: uniqueName('I'), channel: 'CALL_CENTER', kind: 'INQUIRY', text: '想了解一下你们的理财产品', topic: 'wealth' };
    await h.publisher.publishAll([{ topic: TOPICS.interaction, envelope: newEnvelope('InteractionRecorded', inquiry, { source: 'meridian-ingest', customerId, occurredAt: new Date().toISOString() }) }]);
    const assigned = await assignedTo(customerId, 2);
    expect(assigned[1].payload).toEqual(expect.objectContaining({ rmId: own, score: 75 }));
    const listed = await leadsOf(`?branchId=${branchId}`);
    expect(listed.status).toBe(200);
    expect(listed.body.leads).toHaveLength(1);
    expect(listed.body.leads[0]).toEqual(expect.objectContaining({ customerId, status: 'ASSIGNED', score: 75, rmId: own, assignedHow: 'OWN_RM' }));
    expect(listed.body.leads[0].factors).toEqual([
      { factor: 'AUM', points: 35, detail: 'AUM 7,000,000 CNY (≥ 6,000,000 CNY)' },
      { factor: 'HIGH_POTENTIAL', points: 20, detail: expect.stringContaining('HIGH_POTENTIAL') },
      { factor: 'WEALTH_INQUIRY', points: 20, detail: expect.stringContaining('wealth') },
    ]);
    // The pool's RM no longer counts it; the own RM sees it in their list, another RM does not.
    const roster = (await as(['ADMIN'], 'GET', `/v1/rms?branchId=${branchId}`)).body as Array<{ rmId: string; openLeads: number }>;
    expect(Object.fromEntries(roster.map((r) => [r.rmId, r.openLeads]))).toEqual({ [own]: 1, [pool]: 0 });
    expect((await leadsOf('', ['RM'], own)).body.leads.map((l: any) => l.customerId)).toEqual([customerId]);
    expect((await leadsOf('', ['RM'], pool)).body.leads).toEqual([]);
    expect((await leadsOf(`?branchId=${branchId}&minScore=80`)).body.leads).toEqual([]);
    expect((await leadsOf(`?branchId=${branchId}`, ['BRANCH_MANAGER'], 'bm', 'elsewhere')).status).toBe(403);
    expect((await leadsOf('?minScore=90&maxScore=10')).status).toBe(400);

    // Erased (PIPL): the lead, its RM's count and the intent signals go.
    await h.erase(customerId);
    await waitFor(async () => (await leadsOf(`?branchId=${branchId}`)).body.leads.length === 0, 60_000, 'the erased customer’s lead gone');
    expect(await h.db.collection('leads').findOne({ _id: customerId as never })).toBeNull();
    expect(await h.redis.exists(`${h.env.MONGODB_DATABASE}:cmp:intent:${customerId}`)).toBe(0);
    const after = (await as(['ADMIN'], 'GET', `/v1/rms?branchId=${branchId}`)).body as Array<{ rmId: string; openLeads: number }>;
    expect(after.find((r) => r.rmId === own)?.openLeads).toBe(0);
  });

  it('gives leads below 70 to the least-loaded RMs with capacity, never past it, and moves them off an RM who is away', async () => {
    const branchId = uniqueName('BR');
    const [a, b] = [`${uniqueName('RM')}-a`, `${uniqueName('RM')}-b`];
    await putRm(a, branchId, 'ACTIVE', 1);
    await putRm(b, branchId, 'ACTIVE', 2);
    // Four customers at once, each 60 (AUM 600,000 CNY, HIGH_POTENTIAL, three products a GOLD customer holds missing): three slots.
    const customers = await Promise.all(Array.from({ length: 4 }, () => h.customer({ aumMinor: 60_000_000, tags: ['HIGH_POTENTIAL'], branchId, rmId: undefined, productsHeld: ['DEPOSIT_CURRENT', 'CREDIT_CARD'] }, 'GOLD')));
    const open = await waitFor(async () => {
      const page = await leadsOf(`?branchId=${branchId}`);
      return page.body.leads?.length === 4 && page.body.leads.filter((l: any) => l.status === 'ASSIGNED').length === 3 ? page.body.leads : undefined;
    }, 60_000, 'four leads, three assigned');
    const byRm = (rm: string) => open.filter((l: any) => l.rmId === rm).length;
    expect([byRm(a), byRm(b)]).toEqual([1, 2]);
    const waiting = open.find((l: any) => l.status === 'UNASSIGNED');
    expect(waiting.score).toBe(60);
    expect(customers).toContain(waiting.customerId);
    expect((await leadsOf(`?branchId=${branchId}&status=UNASSIGNED`)).body.leads.map((l: any) => l.customerId)).toEqual([waiting.customerId]);

    // A third RM joins: the waiting lead is theirs. Then b is away: b's two leads go to c (a is full), none left waiting.
    const c = `${uniqueName('RM')}-c`;
    const joined = await putRm(c, branchId, 'ACTIVE', 5);
    expect(joined.body).toEqual(expect.objectContaining({ picked: 1, rm: expect.objectContaining({ rmId: c, openLeads: 1 }) }));
    const away = await putRm(b, branchId, 'ABSENT', 2);
    expect(away.body).toEqual(expect.objectContaining({ reassigned: 2, unassigned: 0, rm: expect.objectContaining({ status: 'ABSENT', openLeads: 0 }) }));
    const after = (await leadsOf(`?branchId=${branchId}`)).body.leads as any[];
    expect(after.map((l) => l.rmId).sort()).toEqual([a, c, c, c].sort());
    for (const l of after.filter((x) => x.rmId === c)) expect((await assignedTo(l.customerId)).at(-1)?.payload.rmId).toBe(c);
  });

  it('never counts more leads to an RM than their limit, however many race for the last slots at once', async () => {
    const redis = new Redis(testServers().redisUrl);
    const roster = new RedisRmRoster(redis, {} as RmDirectory, { redisPrefix: `${h.env.MONGODB_DATABASE}:race:` } as CampaignConfig);
    try {
      const branchId = uniqueName('BR');
      await roster.put({ rmId: 'RM-X', branchId, status: 'ACTIVE', capacity: 2 });
      await roster.put({ rmId: 'RM-Y', branchId, status: 'ACTIVE', capacity: 3 });
      await roster.put({ rmId: 'RM-Z', branchId, status: 'ABSENT', capacity: 100 });
      const got = await Promise.all(Array.from({ length: 50 }, (_, i) => roster.assign(`C${i}`, branchId, { how: 'LEAST_LOADED' }, 30)));
      const landed = got.filter(Boolean).map((g) => g?.rmId);
      expect(landed).toHaveLength(5);
      expect(landed.filter((r) => r === 'RM-X')).toHaveLength(2);
      expect(landed.filter((r) => r === 'RM-Y')).toHaveLength(3);
      expect(Object.fromEntries((await roster.list(branchId)).map((r) => [r.rmId, r.openLeads]))).toEqual({ 'RM-X': 2, 'RM-Y': 3, 'RM-Z': 0 });
      // The same lead assigned again (a step retried after its write failed) stays where it is, counted once, even at the RM's limit.
      const holder = got.findIndex(Boolean);
      expect(await roster.assign(`C${holder}`, branchId, { how: 'LEAST_LOADED' }, 30)).toEqual(got[holder]);
      expect(await roster.assign('C-other', branchId, { how: 'LEAST_LOADED' }, 30)).toBeUndefined();
      // Released, its slot is free again; an RM away holds nothing new.
      await roster.release(`C${holder}`);
      expect((await roster.assign('C-late', branchId, { how: 'LEAST_LOADED' }, 30))?.rmId).toBe(got[holder]?.rmId);
      expect(Object.fromEntries((await roster.list(branchId)).map((r) => [r.rmId, r.openLeads]))).toEqual({ 'RM-X': 2, 'RM-Y': 3, 'RM-Z': 0 });
      expect(await roster.assign('C-own', branchId, { how: 'OWN_RM', rmId: 'RM-Z' }, 30)).toBeUndefined();
    } finally {
      redis.disconnect();
    }
  });
});

import { RmTaskCreated, Role, TOPICS } from '@meridian/events';
import { newEnvelope } from '@meridian/events/kafka';
import { signTestToken, uniqueName, waitFor } from '@meridian/shared/testing';
import { CampaignHarness } from '../testing/campaign-harness';

const HOUR = 3_600_000;

/**
 * RM work lists on real Kafka, the MongoDB-wire server and Redis (issue 13, point 3): a lead's
 * follow-up and a DIAMOND customer's retention call when they turn AT_RISK (due within 24 h),
 * ordered by due time then score; an overdue task escalated to the branch manager as of an
 * explicit instant, once; the RM's outcomes fed back into the task, the lead and a campaign's
 * funnel; an erased customer's tasks withdrawn.
 */
describe('campaign: RM work lists', () => {
  const h = new CampaignHarness();

  beforeAll(() => h.start({ CAMPAIGN_QUIET_CHANNELS: 'NONE' }), 120_000);
  afterAll(() => h.stop());

  async function as(roles: Role[], sub: string, method: string, path: string, body?: unknown, branchId?: string) {
    const token = await signTestToken(h.env.JWT_SECRET, { roles, sub, branchId });
    const res = await fetch(`${h.service.url}${path}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, ...(body !== undefined && { body: JSON.stringify(body) }) });
    return { status: res.status, body: (await res.json()) as any };
  }
  const listOf = (rmId: string, roles: Role[] = ['RM'], sub = rmId, branchId?: string) => as(roles, sub, 'GET', `/v1/rm/${rmId}/tasks`, undefined, branchId);
  const created = async (customerId: string, n: number) =>
    waitFor(async () => {
      const seen = (await h.published<RmTaskCreated>('RmTaskCreated')).filter((e) => e.payload.customerId === customerId);
      return seen.length >= n ? seen : undefined;
    }, 60_000, `${n} RmTaskCreated for ${customerId}`);

  it('lists a lead’s follow-up and a DIAMOND customer’s retention call, escalates the overdue one once, and feeds outcomes back', async () => {
    const branchId = uniqueName('BR');
    const [rm, manager] = [uniqueName('RM'), uniqueName('BM')];
    await as(['ADMIN'], 'admin', 'PUT', `/v1/rms/${rm}`, { branchId, status: 'ACTIVE', capacity: 10, managerId: manager });

    // A lead (60: AUM 600,000 CNY, HIGH_POTENTIAL, three of GOLD's products missing) → the RM's follow-up, due in 120 h.
    const prospect = await h.customer({ aumMinor: 60_000_000, tags: ['HIGH_POTENTIAL'], branchId, rmId: undefined, productsHeld: ['DEPOSIT_CURRENT', 'CREDIT_CARD'] }, 'GOLD');
    const [followUp] = await created(prospect, 1);
    expect(followUp.payload).toEqual(expect.objectContaining({ rmId: rm, kind: 'LEAD_FOLLOW_UP', taskId: `task-lead-${prospect}-1-a1` }));

    // A DIAMOND customer of the RM turns AT_RISK (redelivered): one retention call, due within 24 h.
    const diamond = await h.customer({ aumMinor: 700_000_000, branchId, rmId: rm, productsHeld: ['DEPOSIT_CURRENT', 'WEALTH', 'FUND', 'INSURANCE', 'DEPOSIT_TIME'] }, 'DIAMOND');
    const turned = newEnvelope('LifecycleStageChanged', { customerId: diamond, from: 'ACTIVE', to: 'AT_RISK', reason: 'AUM fell 60 % from its 90-day peak' }, { source: 'meridian-segmentation', customerId: diamond, occurredAt: new Date().toISOString() });
    await h.publisher.publishAll([{ topic: TOPICS.segment, envelope: turned }, { topic: TOPICS.segment, envelope: turned }]);
    const [retention] = await created(diamond, 1);
    expect(retention.payload).toEqual(expect.objectContaining({ rmId: rm, kind: 'RETENTION_CALL', taskId: `task-ret-${turned.eventId}`, reason: 'DIAMOND customer turned AT_RISK: AUM fell 60 % from its 90-day peak' }));
    expect(Date.parse(retention.payload.dueAt) - Date.parse(turned.occurredAt as string)).toBe(24 * HOUR);

    // The work list: the retention call (due first), then the follow-up.
    const list = await listOf(rm);
    expect(list.status).toBe(200);
    expect(list.body.tasks.map((t: any) => t.kind)).toEqual(['RETENTION_CALL', 'LEAD_FOLLOW_UP']);
    expect((await listOf(rm, ['BRANCH_MANAGER'], manager, branchId)).status).toBe(200);
    expect((await listOf(rm, ['BRANCH_MANAGER'], manager, 'elsewhere')).status).toBe(403);
    expect((await listOf(rm, ['RM'], 'another-rm')).status).toBe(403);

    // 25 h later the retention call is overdue (the follow-up is not): the branch manager's, once.
    const asOf = new Date(Date.parse(turned.occurredAt as string) + 25 * HOUR).toISOString();
    const escalation = await as(['ADMIN'], 'admin', 'POST', '/v1/rm-tasks/escalations', { asOf });
    expect(escalation.body).toEqual(expect.objectContaining({ asOf, escalated: 1, left: 0 }));
    expect((await as(['ADMIN'], 'admin', 'POST', '/v1/rm-tasks/escalations', { asOf })).body.escalated).toBe(0);
    const managerList = await listOf(manager, ['BRANCH_MANAGER'], manager, branchId);
    expect(managerList.body.tasks).toEqual([expect.objectContaining({ kind: 'ESCALATION', escalates: retention.payload.taskId, customerId: diamond, reason: expect.stringContaining('overdue since') })]);
    expect((await created(diamond, 2)).map((e) => [e.payload.kind, e.payload.rmId])).toEqual([['RETENTION_CALL', rm], ['ESCALATION', manager]]);

    // Outcomes: not reachable keeps the call open, tried again in 24 h; the follow-up converted closes it and the lead.
    const missed = await as(['RM'], rm, 'POST', `/v1/rm/${rm}/tasks/${retention.payload.taskId}/outcome`, { outcome: 'NOT_REACHABLE', note: 'voicemail' });
    expect(missed.status).toBe(200);
    expect(missed.body).toEqual(expect.objectContaining({ status: 'OPEN', attempts: 1, outcome: 'NOT_REACHABLE', outcomeBy: rm }));
    const converted = await as(['RM'], rm, 'POST', `/v1/rm/${rm}/tasks/${followUp.payload.taskId}/outcome`, { outcome: 'CONVERTED' });
    expect(converted.body).toEqual(expect.objectContaining({ status: 'DONE', outcome: 'CONVERTED' }));
    expect((await as(['RM'], rm, 'POST', `/v1/rm/${rm}/tasks/${followUp.payload.taskId}/outcome`, { outcome: 'DECLINED' })).status).toBe(409);
    expect((await as(['RM'], 'another-rm', 'POST', `/v1/rm/${rm}/tasks/${followUp.payload.taskId}/outcome`, { outcome: 'DECLINED' })).status).toBe(403);
    expect((await as(['RM'], rm, 'POST', `/v1/rm/${rm}/tasks/${followUp.payload.taskId}/outcome`, { outcome: 'MAYBE' })).status).toBe(400);
    const leads = await as(['MARKETING'], 'm', 'GET', `/v1/leads?branchId=${branchId}&status=CONVERTED`);
    expect(leads.body.leads).toEqual([expect.objectContaining({ customerId: prospect, status: 'CONVERTED', closedAt: expect.any(String) })]);
    const roster = (await as(['ADMIN'], 'admin', 'GET', `/v1/rms?branchId=${branchId}`)).body as Array<{ rmId: string; openLeads: number }>;
    expect(roster.find((r) => r.rmId === rm)?.openLeads).toBe(0);
    expect((await listOf(rm)).body.tasks.map((t: any) => t.taskId)).toEqual([retention.payload.taskId]);

    // Erased (PIPL): the customer's tasks leave every work list.
    await h.erase(diamond);
    await waitFor(async () => (await listOf(rm)).body.tasks.length === 0 && (await listOf(manager, ['BRANCH_MANAGER'], manager, branchId)).body.tasks.length === 0, 60_000, 'the erased customer’s tasks withdrawn');
  });

  it('puts a campaign’s call in the RM’s work list and counts its outcome on the campaign’s funnel', async () => {
    const rm = uniqueName('RM');
    const { campaignId, segmentId } = await h.campaign({ channels: ['phone'], templates: [{ templateId: 'call', channel: 'phone', locale: 'zh-CN', body: '请致电介绍{{productName}}' }], unitCostMinor: { phone: 50 } });
    const customerId = await h.customer({ consents: { marketing: { phone: true } }, rmId: rm });
    await h.enter(customerId, segmentId);
    const [call] = await created(customerId, 1);
    expect(call.payload.kind).toBe('CAMPAIGN_CALL');
    const list = await waitFor(async () => ((await listOf(rm)).body.tasks?.length === 1 ? (await listOf(rm)).body.tasks : undefined), 30_000, 'the call listed');
    expect(list[0]).toEqual(expect.objectContaining({ taskId: call.payload.taskId, campaignId, customerId }));
    const done = await as(['RM'], rm, 'POST', `/v1/rm/${rm}/tasks/${call.payload.taskId}/outcome`, { outcome: 'CONVERTED' });
    expect(done.status).toBe(200);
    const stats = await waitFor(async () => {
      const s = (await h.call('GET', `/v1/campaigns/${campaignId}/stats`)).body;
      return s.funnel.clicked === 1 ? s : undefined;
    }, 30_000, 'the call counted on the funnel');
    expect(stats.funnel).toMatchObject({ sent: 1, dispatched: 1, delivered: 1, opened: 1, clicked: 1 });
  });
});

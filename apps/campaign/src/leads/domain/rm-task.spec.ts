import type { Lead } from './lead';
import { DEFAULT_RM_TASK_RULES as R, RmTask, escalationOf, followUpOf, isOverdue, outcomeOf, retentionCallOf, workListRank } from './rm-task';

const at = '2026-03-01T02:00:00.000Z';
const lead: Lead = { leadId: 'lead-C1-1', customerId: 'C1', number: 1, status: 'ASSIGNED', score: 75, factors: [{ factor: 'AUM', points: 35, detail: 'AUM 7,000,000 CNY' }], scoredAt: at, branchId: 'BR1', rmId: 'RM1', assignedHow: 'OWN_RM', assignedAt: at, assignments: 1, openedAt: at };
const task = (over: Partial<RmTask> = {}): RmTask => ({ ...followUpOf(lead, R), ...over });

describe('RM tasks', () => {
  it('follows a lead up within 48 h for the own RM, 120 h from the pool', () => {
    expect(followUpOf(lead, R)).toEqual(expect.objectContaining({ taskId: 'task-lead-C1-1-a1', rmId: 'RM1', kind: 'LEAD_FOLLOW_UP', dueAt: '2026-03-03T02:00:00.000Z', score: 75, reason: 'lead 75: AUM 7,000,000 CNY' }));
    expect(followUpOf({ ...lead, assignedHow: 'LEAST_LOADED', assignments: 2 }, R)).toEqual(expect.objectContaining({ taskId: 'task-lead-C1-1-a2', dueAt: '2026-03-06T02:00:00.000Z' }));
  });

  it('gives a DIAMOND customer turning AT_RISK a retention call due within 24 h, one a stage change', () => {
    expect(retentionCallOf({ customerId: 'C1', eventId: 'evt-9', at, reason: 'AUM fell 60 %' }, 'RM1', R)).toEqual(expect.objectContaining({ taskId: 'task-ret-evt-9', kind: 'RETENTION_CALL', dueAt: '2026-03-02T02:00:00.000Z', score: 100, reason: 'DIAMOND customer turned AT_RISK: AUM fell 60 %' }));
  });

  it.each<[string, Partial<RmTask>, string, boolean]>([
    ['open and past due', {}, '2026-03-03T02:00:00.000Z', true],
    ['open, a moment before due', {}, '2026-03-03T01:59:59.999Z', false],
    ['done', { status: 'DONE' }, '2026-04-01T00:00:00.000Z', false],
    ['escalated already', { escalatedAt: '2026-03-03T02:00:00.000Z' }, '2026-04-01T00:00:00.000Z', false],
    ['an escalation itself', { kind: 'ESCALATION' }, '2026-04-01T00:00:00.000Z', false],
  ])('is overdue when %s: %s', (_, over, asOf, overdue) => {
    expect(isOverdue(task(over), asOf)).toBe(overdue);
  });

  it('escalates an overdue task to the branch manager, dated when it fell due', () => {
    const { task: marked, escalation } = escalationOf(task(), 'BM1', '2026-03-03T09:30:00.000Z', R);
    expect(marked).toEqual(expect.objectContaining({ escalatedTo: 'BM1', escalatedAt: '2026-03-03T02:00:00.000Z', status: 'OPEN' }));
    expect(escalation).toEqual(expect.objectContaining({ taskId: 'task-lead-C1-1-a1-esc', rmId: 'BM1', kind: 'ESCALATION', escalates: 'task-lead-C1-1-a1', dueAt: '2026-03-03T06:00:00.000Z' }));
  });

  it.each<[string, Partial<RmTask>, Parameters<typeof outcomeOf>[1], string | undefined, string[], string]>([
    ['contacted: done, the lead contacted', {}, 'CONTACTED', 'CONTACTED', [], 'DONE'],
    ['converted: done, the lead converted', {}, 'CONVERTED', 'CONVERTED', [], 'DONE'],
    ['declined: done, the lead declined', {}, 'DECLINED', 'DECLINED', [], 'DONE'],
    ['not reachable: open, tried again later', {}, 'NOT_REACHABLE', undefined, [], 'OPEN'],
    ['a campaign call converted: the funnel counts it delivered, opened, clicked', { kind: 'CAMPAIGN_CALL', leadId: undefined, campaignId: 'cmp-1', messageId: 'm1' }, 'CONVERTED', undefined, ['delivered', 'opened', 'clicked'], 'DONE'],
    ['a campaign call contacted: delivered, opened', { kind: 'CAMPAIGN_CALL', leadId: undefined, campaignId: 'cmp-1', messageId: 'm1' }, 'CONTACTED', undefined, ['delivered', 'opened'], 'DONE'],
  ])('%s', (_, over, outcome, leadEffect, responses, status) => {
    const effects = outcomeOf(task(over), outcome, '2026-03-02T00:00:00.000Z', 'RM1', undefined, R);
    expect([effects.lead, effects.responses, effects.task.status]).toEqual([leadEffect, responses, status]);
    if (outcome === 'NOT_REACHABLE') expect([effects.task.attempts, effects.task.dueAt]).toEqual([1, '2026-03-03T00:00:00.000Z']);
  });

  it('orders a work list by due time, then the higher score', () => {
    const ranked = [task({ dueAt: '2026-03-02T00:00:00.000Z', score: 40 }), task({ dueAt: '2026-03-01T00:00:00.000Z', score: 40 }), task({ dueAt: '2026-03-02T00:00:00.000Z', score: 90 })].sort((a, b) => workListRank(a) - workListRank(b));
    expect(ranked.map((t) => [t.dueAt.slice(0, 10), t.score])).toEqual([['2026-03-01', 40], ['2026-03-02', 90], ['2026-03-02', 40]]);
    expect(Number.isSafeInteger(workListRank(task({ dueAt: '2099-12-31T23:59:59.999Z', score: 0 })))).toBe(true);
  });
});

import { Ticket } from './ticket';

/**
 * One counter of the service desk's reports (issue 11, point 8) to move: kept as tickets change,
 * never computed by reading the tickets (ADR 0005). `scope` names the counter set:
 * `sla:<queue>:<priority>`, `categories`, `topics`, `agent:<agentId>`.
 */
export interface ReportDelta {
  scope: string;
  field: string;
  by: number;
}

const breached = (t: Ticket, timer: 'FIRST_RESPONSE' | 'RESOLUTION') => t.clocks[timer].reached.includes('BREACH');
const waitedOnCustomer = (t: Ticket) => t.history.some((s) => s.command === 'AWAIT_CUSTOMER');

/**
 * What one write (from `before`, absent for an opening, to `after`) adds to the reports:
 * - opening: a ticket of its category; a complaint's topic (the routing rule that matched);
 * - the first response: responded, and within the target unless its clock breached;
 * - the first resolution: resolved, within target unless the resolution clock breached, the
 *   handling time (opened → resolved), and for the agent: resolved, handling time, and a
 *   first-contact resolution when it never waited on the customer; a reopen takes that back;
 * - the survey's answer: CSAT and NPS for the queue and the agent who held the ticket.
 * Pure, and each fact counted once: by the write that first shows it.
 */
export function reportDeltas(before: Ticket | undefined, after: Ticket): ReportDelta[] {
  const deltas: ReportDelta[] = [];
  const add = (scope: string, field: string, by = 1) => deltas.push({ scope, field, by });
  const sla = `sla:${after.queue}:${after.priority}`;
  const agent = after.assigneeId !== undefined ? `agent:${after.assigneeId}` : undefined;
  if (!before) {
    add('categories', after.category);
    if (after.category === 'COMPLAINT' && after.topic) add('topics', `${after.topic.ruleId}|${after.topic.phrase}`);
  }
  if (!before?.firstRespondedAt && after.firstRespondedAt) {
    add(sla, 'responded');
    if (!breached(after, 'FIRST_RESPONSE')) add(sla, 'respondedInTarget');
  }
  const firstResolution = before?.status !== 'RESOLVED' && after.status === 'RESOLVED' && after.reopenedCount === 0;
  if (firstResolution) {
    const handlingMs = new Date(after.resolvedAt as Date).getTime() - new Date(after.openedAt).getTime();
    add(sla, 'resolved');
    if (!breached(after, 'RESOLUTION')) add(sla, 'resolvedInTarget');
    add(sla, 'handlingMs', handlingMs);
    if (agent) {
      add(agent, 'resolved');
      add(agent, 'handlingMs', handlingMs);
      if (!waitedOnCustomer(after)) add(agent, 'firstContact');
    }
  }
  const firstReopen = before?.reopenedCount === 0 && after.reopenedCount === 1;
  if (firstReopen) {
    add(sla, 'reopened');
    if (agent && !waitedOnCustomer(before)) add(agent, 'firstContact', -1);
  }
  if (!before?.satisfaction && after.satisfaction) {
    const { csat, nps } = after.satisfaction;
    for (const scope of [sla, ...(agent ? [agent] : [])]) {
      if (csat !== undefined) {
        add(scope, 'csatSum', csat);
        add(scope, 'csatAnswers');
      }
      if (nps !== undefined) {
        add(scope, nps >= 9 ? 'npsPromoters' : nps <= 6 ? 'npsDetractors' : 'npsPassives');
        add(scope, 'npsAnswers');
      }
    }
  }
  return deltas;
}

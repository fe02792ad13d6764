import { Injectable } from '@nestjs/common';
import { TICKET_PRIORITIES, TICKET_QUEUES, TicketPriority, TicketQueue } from '@meridian/events';
import { ReportCounters } from './ports/report-counters.port';

export interface SlaLine {
  queue: TicketQueue;
  priority: TicketPriority;
  responded: number;
  /** Share of first responses within their target; absent with none yet. */
  firstResponseAttainment?: number;
  resolved: number;
  resolutionAttainment?: number;
  /** Opened → first resolved, wall-clock minutes, on average. */
  averageHandlingMinutes?: number;
  reopened: number;
  csat?: { average: number; answers: number };
}

export interface SatisfactionFigures {
  csat?: { average: number; answers: number };
  /** Promoters minus detractors, in % of the answers (−100…100). */
  nps?: { score: number; answers: number };
}

export interface SlaReport {
  byQueue: SlaLine[];
  ticketsByCategory: Record<string, number>;
  /** The routing rules complaints matched most, with how many tickets each (the process that draws complaints). */
  topComplaintTopics: Array<{ ruleId: string; phrase: string; tickets: number }>;
}

export interface AgentPerformance extends SatisfactionFigures {
  agentId: string;
  resolved: number;
  averageHandlingMinutes?: number;
  /** Share of their resolved tickets resolved without waiting on the customer and never reopened. */
  firstContactResolutionRate?: number;
}

const ratio = (part: number | undefined, whole: number | undefined) => (whole ? Math.round(((part ?? 0) / whole) * 1000) / 1000 : undefined);
const minutes = (ms: number | undefined, n: number | undefined) => (n ? Math.round((ms ?? 0) / n / 600) / 100 : undefined);

function satisfaction(c: Record<string, number>): SatisfactionFigures {
  return {
    ...(c.csatAnswers && { csat: { average: Math.round((c.csatSum / c.csatAnswers) * 100) / 100, answers: c.csatAnswers } }),
    ...(c.npsAnswers && { nps: { score: Math.round((((c.npsPromoters ?? 0) - (c.npsDetractors ?? 0)) / c.npsAnswers) * 1000) / 10, answers: c.npsAnswers } }),
  };
}

/**
 * GET /v1/sla and GET /v1/agents/performance (issue 11, point 8): DOMAIN.md's service feedback
 * from the counters kept as tickets are written (report-deltas.ts) — attainment by queue and
 * priority, handling times, the complaints' categories and topics, each agent's CSAT, NPS,
 * first-contact resolution and handling time. Counts only, never a customer.
 */
@Injectable()
export class ServiceReportsUseCase {
  constructor(private readonly counters: ReportCounters) {}

  async sla(): Promise<SlaReport> {
    const [sla, categories, topics] = await Promise.all([this.counters.read('sla:'), this.counters.read('categories'), this.counters.read('topics')]);
    const byQueue = TICKET_QUEUES.flatMap((queue) =>
      TICKET_PRIORITIES.flatMap((priority): SlaLine[] => {
        const c = sla.get(`sla:${queue}:${priority}`);
        if (!c) return [];
        const { csat } = satisfaction(c);
        return [
          {
            queue,
            priority,
            responded: c.responded ?? 0,
            ...(c.responded && { firstResponseAttainment: ratio(c.respondedInTarget, c.responded) }),
            resolved: c.resolved ?? 0,
            ...(c.resolved && { resolutionAttainment: ratio(c.resolvedInTarget, c.resolved), averageHandlingMinutes: minutes(c.handlingMs, c.resolved) }),
            reopened: c.reopened ?? 0,
            ...(csat && { csat }),
          },
        ];
      }),
    );
    const topComplaintTopics = Object.entries(topics.get('topics') ?? {})
      .map(([key, tickets]) => ({ ruleId: key.slice(0, key.indexOf('|')), phrase: key.slice(key.indexOf('|') + 1), tickets }))
      .sort((a, b) => b.tickets - a.tickets || (a.ruleId < b.ruleId ? -1 : 1))
      .slice(0, 10);
    return { byQueue, ticketsByCategory: categories.get('categories') ?? {}, topComplaintTopics };
  }

  async agents(): Promise<AgentPerformance[]> {
    const agents = await this.counters.read('agent:');
    return [...agents].map(([scope, c]) => ({
      agentId: scope.slice('agent:'.length),
      resolved: c.resolved ?? 0,
      ...(c.resolved && { averageHandlingMinutes: minutes(c.handlingMs, c.resolved), firstContactResolutionRate: ratio(c.firstContact, c.resolved) }),
      ...satisfaction(c),
    }));
  }
}

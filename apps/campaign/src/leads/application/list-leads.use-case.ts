import { ForbiddenException, Injectable } from '@nestjs/common';
import { Principal, hasAnyRole } from '@meridian/shared';
import { Lead, LeadStatus, OPEN_LEAD_STATUSES } from '../domain/lead';
import { LeadIndex } from './ports/lead-index.port';
import { LeadStore } from './ports/lead-store.port';
import { RmRoster } from './ports/rm-roster.port';

export interface LeadFilter {
  branchId?: string;
  status?: LeadStatus;
  minScore?: number;
  maxScore?: number;
  limit: number;
  cursor?: string;
}

export interface LeadPage {
  leads: Lead[];
  /** The cursor of the next page. */
  next?: string;
}

const cursorOf = (lead: Lead) => `${lead.score}:${lead.customerId}`;
const byRank = (a: Lead, b: Lead) => b.score - a.score || (a.customerId < b.customerId ? 1 : a.customerId > b.customerId ? -1 : 0);

/**
 * GET /v1/leads (issue 13, point 3): leads highest score first, filtered by branch, status (absent:
 * every open one) and score band, paged. An RM sees the leads they hold; a branch manager their
 * branch's; marketing and administrators any branch. Read from the index and by `_id`, never a scan.
 */
@Injectable()
export class ListLeadsUseCase {
  constructor(
    private readonly index: LeadIndex,
    private readonly store: LeadStore,
    private readonly roster: RmRoster,
  ) {}

  async execute(filter: LeadFilter, caller: Principal): Promise<LeadPage> {
    const minScore = filter.minScore ?? 0;
    const maxScore = filter.maxScore ?? 100;
    const after = filter.cursor ? { score: Number(filter.cursor.split(':')[0]), customerId: filter.cursor.slice(filter.cursor.indexOf(':') + 1) } : undefined;
    const matches = (lead: Lead) => (filter.status ? lead.status === filter.status : OPEN_LEAD_STATUSES.includes(lead.status)) && lead.score >= minScore && lead.score <= maxScore && (!filter.branchId || lead.branchId === filter.branchId);
    if (!hasAnyRole(caller, ['MARKETING', 'ADMIN', 'BRANCH_MANAGER'])) {
      // An RM: the leads they hold, an RM's few dozen, ranked here.
      const held = [...(await this.store.load(await this.roster.leadsOf(caller.sub))).values()].map((s) => s.lead).filter((l) => l.rmId === caller.sub && matches(l));
      const ranked = held.sort(byRank).filter((l) => !after || l.score < after.score || (l.score === after.score && l.customerId < after.customerId));
      return this.page(ranked, filter.limit);
    }
    const branchId = hasAnyRole(caller, ['MARKETING', 'ADMIN']) ? filter.branchId : caller.branchId;
    if (filter.branchId && branchId !== filter.branchId) throw new ForbiddenException(`branch ${filter.branchId} is outside your branch`);
    const found = await this.index.find({ branchId, status: filter.status, minScore, maxScore, limit: filter.limit + 1, after });
    const docs = await this.store.load(found.map((f) => f.customerId));
    const leads = found.flatMap((f) => docs.get(f.customerId)?.lead ?? []).filter((l) => matches({ ...l, branchId: branchId ?? l.branchId }));
    return this.page(leads, filter.limit);
  }

  private page(ranked: Lead[], limit: number): LeadPage {
    const leads = ranked.slice(0, limit);
    return { leads, ...(ranked.length > limit && leads.length && { next: cursorOf(leads[leads.length - 1]) }) };
  }
}

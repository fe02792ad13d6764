import { Injectable, Logger } from '@nestjs/common';
import { Clock, mapLimit } from '@meridian/shared';
import { LeadChanges } from './lead-changes';
import { LeadIndex } from './ports/lead-index.port';
import { RmDirectory, RmRoster, RosterRm } from './ports/rm-roster.port';

/** Unassigned leads of the branch offered again when an RM becomes ACTIVE, at most. */
const WAITING_OFFERED = 200;

export interface RmChange {
  rm: RosterRm & { openLeads: number };
  /** Open leads moved to another RM of the branch, and those left UNASSIGNED (nobody had capacity). */
  reassigned: number;
  unassigned: number;
  /** The branch's unassigned leads an ACTIVE RM's arrival (or return) let someone take. */
  picked: number;
}

/**
 * PUT /v1/rms/{rmId} (issue 13, point 2): an RM joins the roster, changes branch or limit, goes
 * ABSENT or LEAVES the bank. Kept in MongoDB (the lasting copy) and in Redis (what assignments
 * read); an RM no longer ACTIVE takes no new lead, and the open leads they hold move to the
 * branch's least-loaded other RM with capacity, or back to UNASSIGNED; an ACTIVE one lets the
 * branch's waiting (unassigned) leads be offered again.
 */
@Injectable()
export class SetRmUseCase {
  private readonly logger = new Logger('SetRm');

  constructor(
    private readonly directory: RmDirectory,
    private readonly roster: RmRoster,
    private readonly leads: LeadChanges,
    private readonly index: LeadIndex,
    private readonly clock: Clock,
  ) {}

  async execute(rm: RosterRm): Promise<RmChange> {
    await this.directory.put(rm);
    await this.roster.put(rm);
    let reassigned = 0;
    let unassigned = 0;
    let picked = 0;
    if (rm.status !== 'ACTIVE') {
      const at = this.clock.now().toISOString();
      await mapLimit(await this.roster.leadsOf(rm.rmId), 8, async (customerId) => {
        const lead = await this.leads.moveOff(customerId, rm.rmId, at);
        if (lead?.rmId && lead.rmId !== rm.rmId) reassigned += 1;
        else if (lead?.status === 'UNASSIGNED') unassigned += 1;
      });
      this.logger.log(`RM ${rm.rmId} is ${rm.status}: ${reassigned} open leads re-assigned, ${unassigned} left unassigned`);
    } else {
      // The branch's waiting leads, highest score first, offered again: there may be room now.
      const waiting = await this.index.find({ branchId: rm.branchId, status: 'UNASSIGNED', minScore: 0, maxScore: 100, limit: WAITING_OFFERED });
      const at = this.clock.now().toISOString();
      for (const { customerId } of waiting) if ((await this.leads.offer(customerId, at))?.rmId) picked += 1;
    }
    const listed = (await this.roster.list(rm.branchId)).find((r) => r.rmId === rm.rmId);
    return { rm: listed ?? { ...rm, openLeads: 0 }, reassigned, unassigned, picked };
  }
}

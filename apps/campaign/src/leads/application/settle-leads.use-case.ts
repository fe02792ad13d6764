import { Injectable, Logger } from '@nestjs/common';
import { Clock, mapLimit } from '@meridian/shared';
import { LeadChanges } from './lead-changes';
import { UnannouncedLeads } from './ports/unannounced-leads.port';

/** A mark this old is a write cut short, not one in flight. */
const SETTLED_AFTER_MS = 30_000;

/** The settle job: leads whose LeadAssigned (and follow-up task) a crash left unannounced are announced, though nothing changes them again. */
@Injectable()
export class SettleLeadsUseCase {
  private readonly logger = new Logger('SettleLeads');

  constructor(
    private readonly marks: UnannouncedLeads,
    private readonly leads: LeadChanges,
    private readonly clock: Clock,
  ) {}

  async execute(): Promise<number> {
    const marked = await this.marks.markedBefore(new Date(this.clock.now().getTime() - SETTLED_AFTER_MS), 500);
    let settled = 0;
    await mapLimit(marked, 8, async (customerId) => {
      try {
        await this.leads.settle(customerId);
        await this.marks.unmark(customerId);
        settled += 1;
      } catch (error) {
        this.logger.warn(`the lead of ${customerId} is still unannounced: ${(error as Error).message}`);
      }
    });
    return settled;
  }
}

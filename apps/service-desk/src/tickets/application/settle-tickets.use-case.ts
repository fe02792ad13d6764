import { Injectable } from '@nestjs/common';
import { Clock } from '@meridian/shared';
import { UnsettledTickets } from './ports/unsettled-tickets.port';
import { TicketChanges } from './ticket-changes';

/** A ticket left unsettled this long is taken to be a crash's, not a write in flight. */
export const SETTLE_AFTER_MS = 30_000;
const BATCH = 200;

/**
 * The settle job: tickets whose events or SLA jobs a crash left unsent (marked unsettled before
 * their write) are sent now, with the same eventIds. Runs on every instance every few seconds;
 * a ticket whose lock another holds is left to that holder.
 */
@Injectable()
export class SettleTicketsUseCase {
  constructor(
    private readonly unsettled: UnsettledTickets,
    private readonly changes: TicketChanges,
    private readonly clock: Clock,
  ) {}

  async execute(): Promise<number> {
    let settled = 0;
    for (;;) {
      const ids = await this.unsettled.markedBefore(new Date(this.clock.now().getTime() - SETTLE_AFTER_MS), BATCH);
      if (!ids.length) return settled;
      // Settling unmarks them, and those never inserted (a crash before the insert); those it could not lock stay marked for the next run.
      const now = await this.changes.settle(ids);
      settled += now.size;
      if (ids.length < BATCH || now.size === 0) return settled;
    }
  }
}

import { Injectable } from '@nestjs/common';
import { Clock } from '@meridian/shared';
import { UnsettledTickets } from './ports/unsettled-tickets.port';
import { TicketChanges } from './ticket-changes';

/** A ticket left unsettled this long is taken to be a crash's, not a write in flight. */
export const SETTLE_AFTER_MS = 30_000;
/** Tickets settled per run (a run every few seconds: crashes leave few). */
const BATCH = 500;

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
    const ids = await this.unsettled.markedBefore(new Date(this.clock.now().getTime() - SETTLE_AFTER_MS), BATCH);
    // Settling unmarks them, and those never inserted (a crash before the insert); those it could not lock or send stay marked for the next run.
    return ids.length ? (await this.changes.settle(ids)).size : 0;
  }
}

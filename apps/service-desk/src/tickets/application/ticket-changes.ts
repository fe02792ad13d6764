import { Injectable, Logger } from '@nestjs/common';
import { EnvelopeInit, TOPICS } from '@meridian/events';
import { EventPublisher } from '@meridian/events/kafka';
import { Clock } from '@meridian/shared';
import { SlaTimerEffect } from '../domain/sla-timer-plan';
import { reportDeltas } from '../domain/report-deltas';
import { Ticket } from '../domain/ticket';
import { SlaTimers } from './ports/sla-timers.port';
import { Fence, TicketLocks } from './ports/ticket-locks.port';
import { ReportCounters } from './ports/report-counters.port';
import { StoredTicket, TicketStore, hasPending } from './ports/ticket-store.port';
import { TicketWorkLists } from './ports/ticket-work-lists.port';
import { UnsettledTickets } from './ports/unsettled-tickets.port';

/** What a step decided: its answer, and the ticket to write with the events and SLA jobs it brings (none: nothing to write). */
export interface TicketDecision<T> {
  answer: T;
  write?: { ticket: Ticket; events: readonly EnvelopeInit[]; timers: readonly SlaTimerEffect[] };
}

export type TicketChange<T> = { found: false } | { found: true; answer: T; stored: StoredTicket };

/**
 * How a ticket changes after its insert (ADR 0011), for the HTTP transitions and the SLA jobs
 * alike: under the ticket's lock, from its latest state, one write (rev + 1) carrying the events
 * and SLA jobs the step decided beside what an earlier write left pending; then they are
 * published and applied, and cleared. A failure after the write leaves them on the ticket and
 * the ticket marked unsettled: the next change, or the settle job, sends them (the same eventIds).
 */
@Injectable()
export class TicketChanges {
  private readonly logger = new Logger('TicketChanges');

  constructor(
    private readonly tickets: TicketStore,
    private readonly locks: TicketLocks,
    private readonly publisher: EventPublisher,
    private readonly timers: SlaTimers,
    private readonly unsettled: UnsettledTickets,
    private readonly workLists: TicketWorkLists,
    private readonly reports: ReportCounters,
    private readonly clock: Clock,
  ) {}

  /** Decides on the ticket's latest state and makes it so; `found: false` for no such ticket. */
  async change<T>(ticketId: string, decide: (stored: StoredTicket) => TicketDecision<T>): Promise<TicketChange<T>> {
    return this.locks.hold(ticketId, async (fence) => {
      const stored = (await this.tickets.load([ticketId])).get(ticketId);
      if (!stored) return { found: false };
      const { answer, write } = decide(stored);
      if (!write) {
        const [settled] = hasPending(stored) ? await this.send([stored], fence) : [stored];
        return { found: true, answer, stored: settled };
      }
      const counts = [...stored.counts, ...reportDeltas(stored.ticket, write.ticket)];
      const current: StoredTicket = { ...stored, ticket: write.ticket, rev: stored.rev + 1, outbox: [...stored.outbox, ...write.events], timers: [...stored.timers, ...write.timers], counts };
      await this.unsettled.mark([ticketId], this.clock.now());
      await fence();
      if (!(await this.tickets.replace(current, stored.rev))) throw new Error(`ticket ${ticketId} changed under its lock (rev ${stored.rev})`);
      try {
        // The work lists and agents' loads follow the write at once, whatever happens to its events: the assignment counts on them.
        await this.workLists.index([current.ticket]);
        const [settled] = await this.send([current], fence);
        return { found: true, answer, stored: settled };
      } catch (error) {
        // The change is made: what it sends is on the ticket, which stays marked, and the settle job (or the next change) sends it.
        this.logger.warn(`ticket ${ticketId} rev ${current.rev} written, its events and SLA jobs left to the settle job: ${(error as Error).message}`);
        return { found: true, answer, stored: current };
      }
    });
  }

  /**
   * Sends what these tickets' writes left pending, each under its lock; a ticket whose lock is
   * taken is skipped (its holder sends it), one held but not stored (its insert never happened)
   * is unmarked. Answers the tickets it held, as they are now. `fresh`: intake's just-inserted
   * tickets, whose first write's jobs replace none. A batch that fails is sent again ticket by
   * ticket, so one ticket that cannot be sent holds up no other (it stays marked, and is logged).
   */
  async settle(ticketIds: readonly string[], options: { fresh?: boolean } = {}): Promise<Map<string, StoredTicket>> {
    if (!ticketIds.length) return new Map();
    return this.locks.holdFree([...new Set(ticketIds)], async (held, fence) => {
      const loaded = await this.tickets.load(held);
      const pending = [...loaded.values()].filter(hasPending);
      const clean = held.filter((id) => !pending.some((t) => t.ticket.ticketId === id));
      let sent: StoredTicket[];
      try {
        sent = await this.send(pending, fence, options);
      } catch (error) {
        if (pending.length < 2) throw error;
        sent = [];
        for (const t of pending) {
          try {
            sent.push(...(await this.send([t], fence, options)));
          } catch (one) {
            this.logger.error(`ticket ${t.ticket.ticketId} rev ${t.rev}: its events or SLA jobs cannot be sent (left marked, tried again by the settle job): ${(one as Error).message}`);
          }
        }
      }
      for (const t of sent) loaded.set(t.ticket.ticketId, t);
      // A write without events or jobs (a warning reached) may still have moved the ticket between lists: index those too.
      await this.workLists.index([...loaded.values()].filter((t) => !pending.includes(t)).map((t) => t.ticket));
      if (clean.length) await this.unsettled.unmark(clean);
      return loaded;
    });
  }

  /** Publishes, schedules, moves it in the work lists, counts it in the reports, clears, unmarks: in that order, so a crash repeats a step rather than skipping one. */
  private async send(tickets: readonly StoredTicket[], fence: Fence, options: { fresh?: boolean } = {}): Promise<StoredTicket[]> {
    if (!tickets.length) return [];
    await this.publisher.publishAll(tickets.flatMap((t) => t.outbox.map((envelope) => ({ topic: TOPICS.ticket, envelope }))));
    await this.timers.apply(tickets.filter((t) => t.timers.length).map((t) => ({ ticketId: t.ticket.ticketId, effects: t.timers, fresh: options.fresh === true && t.rev === 1 })));
    await this.workLists.index(tickets.map((t) => t.ticket));
    await this.reports.count(tickets.filter((t) => t.counts.length).map((t) => ({ ticketId: t.ticket.ticketId, rev: t.rev, deltas: t.counts })));
    await fence();
    await this.tickets.settled(tickets.map((t) => ({ ticketId: t.ticket.ticketId, rev: t.rev })));
    await this.unsettled.unmark(tickets.map((t) => t.ticket.ticketId));
    return tickets.map((t) => ({ ...t, outbox: [], timers: [], counts: [] }));
  }
}

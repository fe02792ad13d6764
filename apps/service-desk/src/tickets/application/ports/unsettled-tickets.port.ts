/**
 * Tickets written whose events or timers may not have gone out yet: marked before the write,
 * unmarked once they are settled. A crash in between leaves the mark, and the settle job
 * finishes the work — without it, a ticket nobody touches again would keep an unpublished
 * TicketOpened and no SLA jobs. Read by key (a Redis sorted set by when marked), never by a
 * scan of the tickets.
 */
export abstract class UnsettledTickets {
  abstract mark(ticketIds: readonly string[], at: Date): Promise<void>;
  abstract unmark(ticketIds: readonly string[]): Promise<void>;
  /** The oldest marked before `before`, at most `limit`. */
  abstract markedBefore(before: Date, limit: number): Promise<string[]>;
}

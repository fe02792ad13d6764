import type { EnvelopeInit } from '@meridian/events';
import { ReportDelta } from '../../domain/report-deltas';
import { SlaTimerEffect } from '../../domain/sla-timer-plan';
import { Ticket } from '../../domain/ticket';

/**
 * A ticket as the service keeps it: the domain's ticket, the optimistic-concurrency `rev`,
 * where it came from, and the events its last write decided (the embedded outbox), cleared
 * once they are published. The interaction's free text is not kept: it is read to classify
 * and route, and the rule that matched is kept. The subject is kept, and cleared when the
 * customer is erased (ADR 0012).
 */
export interface StoredTicket {
  ticket: Ticket;
  rev: number;
  /** The source system of the interaction that opened it. */
  sourceSystem?: string;
  outbox: EnvelopeInit[];
  /** The SLA jobs its last write decided (scheduled, cancelled), cleared with the outbox once applied. */
  timers: SlaTimerEffect[];
  /** The report counters its writes moved (report-deltas.ts), cleared with the outbox once counted. */
  counts: ReportDelta[];
}

/** Whether a ticket's writes left events, SLA jobs or report counters to send. */
export const hasPending = (t: StoredTicket) => t.outbox.length > 0 || t.timers.length > 0 || t.counts.length > 0;

/**
 * Tickets by id (STYLE.md rule 3: the port; `TicketRepository` is the MongoDB adapter, read and
 * written by `_id` only). Every write after the insert is made by the holder of the ticket's
 * lock (TicketLocks): FerretDB v1 evaluates an update's filter and then writes, so the `rev`
 * filters are a second guard (atomic on MongoDB), not the arbiter (ADR 0007, one writer).
 */
export abstract class TicketStore {
  abstract load(ticketIds: readonly string[]): Promise<Map<string, StoredTicket>>;
  /** Inserts the tickets whose id is new; answers the ids that existed already (another delivery came first). */
  abstract insertNew(tickets: readonly StoredTicket[]): Promise<Set<string>>;
  /** Writes the ticket as `stored` (its new rev) where it still has `expectedRev`; false when it did not. */
  abstract replace(stored: StoredTicket, expectedRev: number): Promise<boolean>;
  /**
   * Every ticket of these customers (ticket id → customer id): an erasure's, which must find them
   * all. An index on MongoDB 7; a scan on FerretDB v1 (ADR 0005), so never per request.
   */
  abstract idsOfCustomers(customerIds: readonly string[]): Promise<Map<string, string>>;
  /** These writes' events are published and their timers applied: their outbox and timers are cleared (by `_id` and `rev`). */
  abstract settled(writes: readonly { ticketId: string; rev: number }[]): Promise<void>;
}

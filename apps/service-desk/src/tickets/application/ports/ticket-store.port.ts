import type { EnvelopeInit } from '@meridian/events';
import { Ticket } from '../../domain/ticket';

/**
 * A ticket as the service keeps it: the domain's ticket, the optimistic-concurrency `rev`,
 * where it came from, and the events its last write decided (the embedded outbox), cleared
 * once they are published. The interaction's free text is not kept: it is read to classify
 * and route, and the rule that matched is kept. Stored, it would be personal data to seal
 * with the customer's key and erase on CustomerErased (the agent's context view, point 7).
 */
export interface StoredTicket {
  ticket: Ticket;
  rev: number;
  /** The source system of the interaction that opened it. */
  sourceSystem?: string;
  outbox: EnvelopeInit[];
}

/** Tickets by id (STYLE.md rule 3: the port; `TicketRepository` is the MongoDB adapter, read and written by `_id` only). */
export abstract class TicketStore {
  abstract load(ticketIds: readonly string[]): Promise<Map<string, StoredTicket>>;
  /** Inserts the tickets whose id is new; answers the ids that existed already (another delivery came first). */
  abstract insertNew(tickets: readonly StoredTicket[]): Promise<Set<string>>;
  /**
   * The outboxes of these writes are published: cleared by `_id` and `rev`. Safe while intake
   * is a ticket's one writer (its rev stays 1: of racing openers one insert wins, and clearing
   * twice clears it); the transitions to come must claim a ticket first, as FerretDB v1
   * filters and writes in two steps.
   */
  abstract outboxSent(writes: readonly { ticketId: string; rev: number }[]): Promise<void>;
}

import type { EnvelopeInit } from '@meridian/events';
import { Ticket } from '../../domain/ticket';

/**
 * A ticket as the service keeps it: the domain's ticket, the optimistic-concurrency `rev`,
 * where it came from, and the events its last write decided (the embedded outbox), cleared
 * once they are published.
 */
export interface StoredTicket {
  ticket: Ticket;
  rev: number;
  /** The interaction's free text, for the agent (not published). */
  text?: string;
  /** The source system of the interaction that opened it. */
  sourceSystem?: string;
  outbox: EnvelopeInit[];
}

/** Tickets by id (STYLE.md rule 3: the port; `TicketRepository` is the MongoDB adapter, read and written by `_id` only). */
export abstract class TicketStore {
  abstract load(ticketIds: readonly string[]): Promise<Map<string, StoredTicket>>;
  /** Inserts the tickets whose id is new; answers the ids that existed already (another delivery came first). */
  abstract insertNew(tickets: readonly StoredTicket[]): Promise<Set<string>>;
  /** The outboxes of these writes are published: cleared, unless a newer write replaced the ticket meanwhile. */
  abstract outboxSent(writes: readonly { ticketId: string; rev: number }[]): Promise<void>;
}

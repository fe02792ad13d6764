import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { EnvelopeInit } from '@meridian/events';
import { insertNew, mapLimit, nativeCollection } from '@meridian/shared';
import type { Connection } from 'mongoose';
import { ReportDelta } from '../domain/report-deltas';
import { SlaTimerEffect } from '../domain/sla-timer-plan';
import { Ticket } from '../domain/ticket';
import { StoredTicket, TicketStore } from '../application/ports/ticket-store.port';

/** A ticket document: `_id` the ticket id, the ticket's fields, and what the service keeps beside them. */
type TicketDoc = Omit<Ticket, 'ticketId'> & { _id: string; rev: number; sourceSystem?: string; outbox: EnvelopeInit[]; timers?: SlaTimerEffect[]; counts?: ReportDelta[] };

/** The driver writes an absent field as null: absent fields stay absent. */
function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

const toDoc = ({ ticket: { ticketId, ...ticket }, rev, sourceSystem, outbox, timers, counts }: StoredTicket): TicketDoc => withoutUndefined({ _id: ticketId, ...ticket, rev, sourceSystem, outbox, timers, counts });

/** Tickets written before the history and the timers were kept have none. */
function fromDoc({ _id, rev, sourceSystem, outbox, timers, counts, history, ...ticket }: TicketDoc): StoredTicket {
  return { ticket: { ticketId: _id, ...ticket, history: history ?? [] }, rev, ...(sourceSystem !== undefined && { sourceSystem }), outbox, timers: timers ?? [], counts: counts ?? [] };
}

/**
 * `tickets` on MongoDB, read and written by `_id` only (ADR 0005: FerretDB v1 scans any other
 * filter) — but for an erasure, which finds a customer's tickets by `customerId`.
 */
@Injectable()
export class TicketRepository implements TicketStore, OnModuleInit {
  private readonly logger = new Logger('TicketRepository');

  constructor(@InjectConnection() private readonly connection: Connection) {}

  /** A customer's tickets are found by an index on MongoDB; FerretDB scans (erasures are rare). */
  onModuleInit(): void {
    // In the background: the service starts (and reports MongoDB down) even while it is down.
    void this.connection
      .asPromise()
      .then(() => this.tickets.createIndex({ customerId: 1 }))
      .catch((error: Error) => this.logger.warn(`tickets index not created: ${error.message}`));
  }

  private get tickets() {
    return nativeCollection<TicketDoc>(this.connection, 'tickets');
  }

  async load(ticketIds: readonly string[]): Promise<Map<string, StoredTicket>> {
    const docs = await mapLimit([...new Set(ticketIds)], 16, (id) => this.tickets.findOne({ _id: id }));
    return new Map(docs.filter((d): d is TicketDoc => !!d).map((d) => [d._id, fromDoc(d)]));
  }

  async insertNew(tickets: readonly StoredTicket[]): Promise<Set<string>> {
    const existing = await insertNew(this.tickets, tickets.map(toDoc));
    return new Set([...existing].map((i) => tickets[i].ticket.ticketId));
  }

  async replace(stored: StoredTicket, expectedRev: number): Promise<boolean> {
    const { _id, ...doc } = toDoc(stored);
    const result = await this.tickets.replaceOne({ _id, rev: expectedRev }, doc);
    return result.matchedCount === 1;
  }

  async idsOfCustomers(customerIds: readonly string[]): Promise<Map<string, string>> {
    if (!customerIds.length) return new Map();
    const docs = await this.tickets.find({ customerId: { $in: [...customerIds] } }, { projection: { _id: 1, customerId: 1 } }).toArray();
    return new Map(docs.map((d) => [d._id, d.customerId]));
  }

  async settled(writes: readonly { ticketId: string; rev: number }[]): Promise<void> {
    if (!writes.length) return;
    await this.tickets.bulkWrite(writes.map(({ ticketId, rev }) => ({ updateOne: { filter: { _id: ticketId, rev }, update: { $set: { outbox: [], timers: [], counts: [] } } } })), { ordered: false });
  }
}

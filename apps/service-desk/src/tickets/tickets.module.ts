import { Module } from '@nestjs/common';
import { CustomersModule } from '../customers/customers.module';
import { InteractionsConsumer } from './api/interactions.consumer';
import { TicketsController } from './api/tickets.controller';
import { GetTicketUseCase } from './application/get-ticket.use-case';
import { OpenTicketByHandUseCase } from './application/open-ticket-by-hand.use-case';
import { OpenTicketsUseCase } from './application/open-tickets.use-case';
import { TicketStore } from './application/ports/ticket-store.port';
import { loadRoutingTable } from './domain/routing-table';
import { TicketRepository } from './infrastructure/ticket.repository';
import { ROUTING_TABLE } from './routing-table.token';

/** Tickets: intake from crm.interaction.v1 and POST /v1/tickets, classified by the routing table, kept by id, read by id. */
@Module({
  imports: [CustomersModule],
  controllers: [InteractionsConsumer, TicketsController],
  providers: [
    // The shipped table, checked at start: a refused one stops the service naming its problems.
    { provide: ROUTING_TABLE, useFactory: () => loadRoutingTable() },
    TicketRepository,
    { provide: TicketStore, useExisting: TicketRepository },
    OpenTicketsUseCase,
    OpenTicketByHandUseCase,
    GetTicketUseCase,
  ],
})
export class TicketsModule {}

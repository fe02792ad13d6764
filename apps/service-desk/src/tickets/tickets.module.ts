import { Module, Provider, Type } from '@nestjs/common';
import { ScheduledJob } from '@meridian/shared';
import { ServiceDeskConfig } from '../config/service-desk.config';
import { AgentsModule } from '../agents/agents.module';
import { CustomersModule } from '../customers/customers.module';
import { AgentsController } from './api/agents.controller';
import { InteractionsConsumer } from './api/interactions.consumer';
import { ReportsController } from './api/reports.controller';
import { TicketsController } from './api/tickets.controller';
import { AssignBacklogUseCase } from './application/assign-backlog.use-case';
import { ClearErasedTextUseCase } from './application/clear-erased-text.use-case';
import { GetTicketUseCase } from './application/get-ticket.use-case';
import { AssignmentRuns } from './application/ports/assignment-runs.port';
import { OpenTicketByHandUseCase } from './application/open-ticket-by-hand.use-case';
import { OpenTicketsUseCase } from './application/open-tickets.use-case';
import { SlaTimers } from './application/ports/sla-timers.port';
import { ReportCounters } from './application/ports/report-counters.port';
import { ServiceReportsUseCase } from './application/service-reports.use-case';
import { TicketLocks } from './application/ports/ticket-locks.port';
import { TicketWorkLists } from './application/ports/ticket-work-lists.port';
import { ListTicketsUseCase } from './application/list-tickets.use-case';
import { TicketStore } from './application/ports/ticket-store.port';
import { UnsettledTickets } from './application/ports/unsettled-tickets.port';
import { ReachSlaStageUseCase } from './application/reach-sla-stage.use-case';
import { RecordSatisfactionUseCase } from './application/record-satisfaction.use-case';
import { SettleTicketsUseCase } from './application/settle-tickets.use-case';
import { SlaCalendars } from './application/sla-calendars';
import { TicketChanges } from './application/ticket-changes';
import { TransitionTicketUseCase } from './application/transition-ticket.use-case';
import { loadRoutingTable } from './domain/routing-table';
import { RedisAssignmentRuns } from './infrastructure/redis-assignment-runs';
import { RedisReportCounters } from './infrastructure/redis-report-counters';
import { RedisTicketLocks } from './infrastructure/redis-ticket-locks';
import { RedisTicketWorkLists } from './infrastructure/redis-ticket-work-lists';
import { RedisUnsettledTickets } from './infrastructure/redis-unsettled-tickets';
import { SlaStageQueue } from './infrastructure/sla-stage-queue';
import { SlaStageWorker } from './infrastructure/sla-stage.worker';
import { TicketRepository } from './infrastructure/ticket.repository';
import { ROUTING_TABLE } from './routing-table.token';

/** The settle job's schedule (a BullMQ job scheduler: each occurrence runs on one instance). */
const SETTLE_TICKETS_JOB = Symbol('SETTLE_TICKETS_JOB');
/** The assignment's schedule (likewise). */
const ASSIGN_BACKLOG_JOB = Symbol('ASSIGN_BACKLOG_JOB');
/** The erased customers' tickets to clear (likewise). */
const CLEAR_ERASED_JOB = Symbol('CLEAR_ERASED_JOB');

/** A use case run every few seconds on one instance (a BullMQ job scheduler: each occurrence runs once across instances). */
function scheduled(token: symbol, name: string, everySeconds: (config: ServiceDeskConfig) => number, useCase: Type<{ execute(): Promise<unknown> }>): Provider {
  return {
    provide: token,
    inject: [ServiceDeskConfig, useCase],
    useFactory: (config: ServiceDeskConfig, job: { execute(): Promise<unknown> }) => new ScheduledJob({ name, everyMs: everySeconds(config) * 1000, redisUrl: config.REDIS_URL, prefix: config.redisPrefix, run: () => job.execute() }),
  };
}

/**
 * Tickets: intake from crm.interaction.v1 and POST /v1/tickets, classified by the routing table,
 * kept by id, changed by PATCH and the SLA stage jobs under each ticket's lock (ADR 0011).
 */
@Module({
  imports: [CustomersModule, AgentsModule],
  controllers: [InteractionsConsumer, TicketsController, AgentsController, ReportsController],
  providers: [
    // The shipped table, checked at start: a refused one stops the service naming its problems.
    { provide: ROUTING_TABLE, useFactory: () => loadRoutingTable() },
    TicketRepository,
    { provide: TicketStore, useExisting: TicketRepository },
    RedisTicketLocks,
    { provide: TicketLocks, useExisting: RedisTicketLocks },
    RedisUnsettledTickets,
    { provide: UnsettledTickets, useExisting: RedisUnsettledTickets },
    RedisTicketWorkLists,
    { provide: TicketWorkLists, useExisting: RedisTicketWorkLists },
    RedisReportCounters,
    { provide: ReportCounters, useExisting: RedisReportCounters },
    ServiceReportsUseCase,
    ListTicketsUseCase,
    // Every queue counts China's working days as the bank changed them, in its own hours (DOMAIN.md business calendars).
    { provide: SlaCalendars, inject: [ServiceDeskConfig], useFactory: (config: ServiceDeskConfig) => new SlaCalendars(config.queueCalendars) },
    SlaStageQueue,
    { provide: SlaTimers, useExisting: SlaStageQueue },
    TicketChanges,
    OpenTicketsUseCase,
    OpenTicketByHandUseCase,
    GetTicketUseCase,
    ClearErasedTextUseCase,
    TransitionTicketUseCase,
    RecordSatisfactionUseCase,
    ReachSlaStageUseCase,
    SlaStageWorker,
    SettleTicketsUseCase,
    RedisAssignmentRuns,
    { provide: AssignmentRuns, useExisting: RedisAssignmentRuns },
    AssignBacklogUseCase,
    scheduled(ASSIGN_BACKLOG_JOB, 'service-desk-assign-backlog', (c) => c.SERVICE_DESK_ASSIGN_EVERY_SECONDS, AssignBacklogUseCase),
    scheduled(SETTLE_TICKETS_JOB, 'service-desk-settle-tickets', (c) => c.SERVICE_DESK_SETTLE_EVERY_SECONDS, SettleTicketsUseCase),
    // Erasures are rare and wait no longer than a settle: the same cadence.
    scheduled(CLEAR_ERASED_JOB, 'service-desk-clear-erased', (c) => c.SERVICE_DESK_SETTLE_EVERY_SECONDS, ClearErasedTextUseCase),
  ],
})
export class TicketsModule {}

import { Module } from '@nestjs/common';
import { Clock, REDIS, ScheduledJob } from '@meridian/shared';
import type Redis from 'ioredis';
import { CampaignConfig } from '../config/campaign.config';
import { RedisCustomerLocks } from '../customers/infrastructure/redis-customer-leases';
import { campaignKeys } from '../redis-keys';
import { CustomersModule } from '../customers/customers.module';
import { LeadsController } from './api/leads.controller';
import { RmTasksController } from './api/rm-tasks.controller';
import { ResponseCounters } from '../campaigns/application/ports/response-counters.port';
import { RedisResponseCounters } from '../campaigns/infrastructure/redis-response-counters';
import { EscalateTasksUseCase } from './application/escalate-tasks.use-case';
import { RecordOutcomeUseCase } from './application/record-outcome.use-case';
import { RetentionCallsUseCase } from './application/retention-calls.use-case';
import { RmTaskStore, RmWorkLists } from './application/ports/rm-task-store.port';
import { RmTaskChanges } from './application/rm-task-changes';
import { RmTaskWrites } from './application/rm-task-writes';
import { RmWorkListUseCase } from './application/rm-work-list.use-case';
import { RedisRmWorkLists } from './infrastructure/redis-rm-work-lists';
import { RmTaskRepository } from './infrastructure/rm-task.repository';
import { SettleLeadsUseCase } from './application/settle-leads.use-case';
import { UnannouncedLeads } from './application/ports/unannounced-leads.port';
import { RedisUnannouncedLeads } from './infrastructure/redis-unannounced-leads';
import { LeadChanges } from './application/lead-changes';
import { ListLeadsUseCase } from './application/list-leads.use-case';
import { IntentSignals } from './application/ports/intent-signals.port';
import { LeadIndex } from './application/ports/lead-index.port';
import { LeadBusyError, LeadLocks } from './application/ports/lead-locks.port';
import { LeadStore } from './application/ports/lead-store.port';
import { RmDirectory, RmRoster } from './application/ports/rm-roster.port';
import { RecordIntentUseCase } from './application/record-intent.use-case';
import { ForgetLeadsUseCase } from './application/forget-leads.use-case';
import { ScoreLeadsUseCase } from './application/score-leads.use-case';
import { SetRmUseCase } from './application/set-rm.use-case';
import { LeadRepository } from './infrastructure/lead.repository';
import { RedisIntentSignals } from './infrastructure/redis-intent-signals';
import { RedisLeadIndex } from './infrastructure/redis-lead-index';
import { RedisRmRoster } from './infrastructure/redis-rm-roster';
import { RmDirectoryRepository } from './infrastructure/rm-directory.repository';

const ESCALATION_JOB = Symbol('RM_TASK_ESCALATION_JOB');
const SETTLE_JOB = Symbol('LEADS_SETTLE_JOB');

/** Leads (issue 13, points 1–3): scored on the events that move them, explained, assigned to RMs by capacity in one atomic step, re-assigned when an RM is away; the RMs' work lists: follow-ups, DIAMOND retention calls, campaign calls, escalations and outcomes. */
@Module({
  imports: [CustomersModule],
  controllers: [LeadsController, RmTasksController],
  providers: [
    LeadRepository,
    { provide: LeadStore, useExisting: LeadRepository },
    {
      provide: LeadLocks,
      inject: [REDIS, CampaignConfig],
      useFactory: (redis: Redis, config: CampaignConfig) => new RedisCustomerLocks(redis, campaignKeys(config.redisPrefix).leadLock, 'a lead', (id) => new LeadBusyError(id)),
    },
    RmDirectoryRepository,
    { provide: RmDirectory, useExisting: RmDirectoryRepository },
    RedisRmRoster,
    { provide: RmRoster, useExisting: RedisRmRoster },
    RedisLeadIndex,
    { provide: LeadIndex, useExisting: RedisLeadIndex },
    RedisIntentSignals,
    { provide: IntentSignals, useExisting: RedisIntentSignals },
    RmTaskRepository,
    { provide: RmTaskStore, useExisting: RmTaskRepository },
    RedisRmWorkLists,
    { provide: RmWorkLists, useExisting: RedisRmWorkLists },
    // The campaign funnel's counters (a stateless Redis adapter): an RM's outcome of a campaign's call counts on it.
    { provide: ResponseCounters, useClass: RedisResponseCounters },
    RmTaskWrites,
    RmTaskChanges,
    RmWorkListUseCase,
    RecordOutcomeUseCase,
    EscalateTasksUseCase,
    RetentionCallsUseCase,
    {
      provide: ESCALATION_JOB,
      inject: [CampaignConfig, EscalateTasksUseCase, Clock],
      useFactory: (config: CampaignConfig, escalate: EscalateTasksUseCase, clock: Clock) => new ScheduledJob({ name: 'campaign-rm-task-escalation', everyMs: config.LEADS_ESCALATE_EVERY_SECONDS * 1000, redisUrl: config.REDIS_URL, prefix: config.redisPrefix, run: () => escalate.execute(clock.now()) }),
    },
    RedisUnannouncedLeads,
    { provide: UnannouncedLeads, useExisting: RedisUnannouncedLeads },
    SettleLeadsUseCase,
    {
      provide: SETTLE_JOB,
      inject: [CampaignConfig, SettleLeadsUseCase],
      useFactory: (config: CampaignConfig, settle: SettleLeadsUseCase) => new ScheduledJob({ name: 'campaign-leads-settle', everyMs: config.LOYALTY_ANNOUNCE_EVERY_SECONDS * 1000, redisUrl: config.REDIS_URL, prefix: config.redisPrefix, run: () => settle.execute() }),
    },
    LeadChanges,
    ForgetLeadsUseCase,
    ScoreLeadsUseCase,
    RecordIntentUseCase,
    ListLeadsUseCase,
    SetRmUseCase,
  ],
  exports: [ScoreLeadsUseCase, ForgetLeadsUseCase, RecordIntentUseCase, RetentionCallsUseCase, RmTaskChanges],
})
export class LeadsModule {}

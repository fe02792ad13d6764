import { Module } from '@nestjs/common';
import { REDIS } from '@meridian/shared';
import type Redis from 'ioredis';
import { CampaignConfig } from '../config/campaign.config';
import { RedisCustomerLocks } from '../customers/infrastructure/redis-customer-leases';
import { campaignKeys } from '../redis-keys';
import { CustomersModule } from '../customers/customers.module';
import { LeadsController } from './api/leads.controller';
import { LeadChanges } from './application/lead-changes';
import { ListLeadsUseCase } from './application/list-leads.use-case';
import { IntentSignals } from './application/ports/intent-signals.port';
import { LeadIndex } from './application/ports/lead-index.port';
import { LeadBusyError, LeadLocks } from './application/ports/lead-locks.port';
import { LeadStore } from './application/ports/lead-store.port';
import { RmDirectory, RmRoster } from './application/ports/rm-roster.port';
import { RecordIntentUseCase } from './application/record-intent.use-case';
import { ScoreLeadsUseCase } from './application/score-leads.use-case';
import { SetRmUseCase } from './application/set-rm.use-case';
import { LeadRepository } from './infrastructure/lead.repository';
import { RedisIntentSignals } from './infrastructure/redis-intent-signals';
import { RedisLeadIndex } from './infrastructure/redis-lead-index';
import { RedisRmRoster } from './infrastructure/redis-rm-roster';
import { RmDirectoryRepository } from './infrastructure/rm-directory.repository';

/** Leads (issue 13, points 1–2): scored on the events that move them, explained, assigned to RMs by capacity in one atomic step, re-assigned when an RM is away. */
@Module({
  imports: [CustomersModule],
  controllers: [LeadsController],
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
    LeadChanges,
    ScoreLeadsUseCase,
    RecordIntentUseCase,
    ListLeadsUseCase,
    SetRmUseCase,
  ],
  exports: [ScoreLeadsUseCase, RecordIntentUseCase],
})
export class LeadsModule {}

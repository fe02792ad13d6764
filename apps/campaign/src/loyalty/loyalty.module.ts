import { Module } from '@nestjs/common';
import { Clock, REDIS, ScheduledJob } from '@meridian/shared';
import type Redis from 'ioredis';
import { CampaignConfig } from '../config/campaign.config';
import { CustomersModule } from '../customers/customers.module';
import { RedisCustomerLocks } from '../customers/infrastructure/redis-customer-leases';
import { campaignKeys } from '../redis-keys';
import { PointsController } from './api/points.controller';
import { AnnouncePointsUseCase } from './application/announce-points.use-case';
import { AwardPointsUseCase } from './application/award-points.use-case';
import { ExpirePointsUseCase } from './application/expire-points.use-case';
import { ForgetPointsUseCase } from './application/forget-points.use-case';
import { ClaimReferralUseCase } from './application/claim-referral.use-case';
import { PointsChanges } from './application/points-changes';
import { PointsAccounts } from './application/ports/points-accounts.port';
import { PointsAccountBusyError, PointsLocks } from './application/ports/points-locks.port';
import { PointsMarks } from './application/ports/points-marks.port';
import { ReadPointsUseCase } from './application/read-points.use-case';
import { RedeemPointsUseCase } from './application/redeem-points.use-case';
import { PointsAccountRepository } from './infrastructure/points-account.repository';
import { RedisPointsMarks } from './infrastructure/redis-points-marks';

const EXPIRY_JOB = Symbol('POINTS_EXPIRY_JOB');
const ANNOUNCE_JOB = Symbol('POINTS_ANNOUNCE_JOB');

/** Loyalty points (issue 13, point 4): a ledger an account that cannot overdraw, awards once a cause, FIFO expiry by a daily job, announced on crm.campaign.v1. */
@Module({
  imports: [CustomersModule],
  controllers: [PointsController],
  providers: [
    PointsAccountRepository,
    { provide: PointsAccounts, useExisting: PointsAccountRepository },
    {
      provide: PointsLocks,
      inject: [REDIS, CampaignConfig],
      useFactory: (redis: Redis, config: CampaignConfig) => new RedisCustomerLocks(redis, campaignKeys(config.redisPrefix).pointsLock, 'a points account', (id) => new PointsAccountBusyError(id)),
    },
    RedisPointsMarks,
    { provide: PointsMarks, useExisting: RedisPointsMarks },
    PointsChanges,
    AwardPointsUseCase,
    RedeemPointsUseCase,
    ReadPointsUseCase,
    ExpirePointsUseCase,
    AnnouncePointsUseCase,
    ForgetPointsUseCase,
    ClaimReferralUseCase,
    {
      provide: EXPIRY_JOB,
      inject: [CampaignConfig, ExpirePointsUseCase, Clock],
      useFactory: (config: CampaignConfig, expire: ExpirePointsUseCase, clock: Clock) =>
        new ScheduledJob({ name: 'campaign-points-expiry', pattern: config.LOYALTY_EXPIRY_CRON, tz: config.CAMPAIGN_TIME_ZONE, redisUrl: config.REDIS_URL, prefix: config.redisPrefix, enabled: config.SCHEDULE_DAILY_JOBS, run: () => expire.execute(clock.now()) }),
    },
    {
      provide: ANNOUNCE_JOB,
      inject: [CampaignConfig, AnnouncePointsUseCase],
      useFactory: (config: CampaignConfig, announce: AnnouncePointsUseCase) => new ScheduledJob({ name: 'campaign-points-announce', everyMs: config.LOYALTY_ANNOUNCE_EVERY_SECONDS * 1000, redisUrl: config.REDIS_URL, prefix: config.redisPrefix, run: () => announce.execute() }),
    },
  ],
  exports: [AwardPointsUseCase, ForgetPointsUseCase],
})
export class LoyaltyModule {}

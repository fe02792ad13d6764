import { Module } from '@nestjs/common';
import { Clock, ScheduledJob } from '@meridian/shared';
import { CampaignConfig } from '../config/campaign.config';
import { CustomerRecords } from '../customers/application/ports/customer-records.port';
import { CustomersModule } from '../customers/customers.module';
import { RmTaskChanges } from '../leads/application/rm-task-changes';
import { LeadsModule } from '../leads/leads.module';
import { LoyaltyModule } from '../loyalty/loyalty.module';
import { CampaignMessagesConsumer } from './api/campaign-messages.consumer';
import { BatchProgressUseCase } from './application/batch-progress.use-case';
import { BatchMetrics, BatchRuns, BatchSchedule } from './application/ports/batch-runs.port';
import { RunBatchAudienceUseCase } from './application/run-batch-audience.use-case';
import { BatchAudienceQueue } from './infrastructure/batch-audience-queue';
import { BatchAudienceWorker } from './infrastructure/batch-audience.worker';
import { PrometheusBatchMetrics } from './infrastructure/prometheus-batch-metrics';
import { RedisBatchRuns } from './infrastructure/redis-batch-runs';
import { DecideActivityUseCase } from './application/decide-activity.use-case';
import { DeliverMessageUseCase } from './application/deliver-message.use-case';
import { ChannelGateway } from './application/ports/channel-gateway.port';
import { DeliveryQueue } from './application/ports/delivery-queue.port';
import { QueueDeliveriesUseCase } from './application/queue-deliveries.use-case';
import { ChannelRouter } from './infrastructure/channel-router';
import { BullDeliveryQueue } from './infrastructure/delivery-queue';
import { DeliveryWorker } from './infrastructure/delivery.worker';
import { OutboxGateway } from './infrastructure/outbox-gateway';
import { RmTaskGateway } from './infrastructure/rm-task-gateway';
import { WebhookGateway } from './infrastructure/webhook-gateway';
import { CampaignsController } from './api/campaigns.controller';
import { GoalEventsConsumer } from './api/goal-events.consumer';
import { InteractionsConsumer } from './api/interactions.consumer';
import { SegmentNewsConsumer } from './api/segment-news.consumer';
import { ApplySegmentNewsUseCase } from './application/apply-segment-news.use-case';
import { AttributeConversionsUseCase } from './application/attribute-conversions.use-case';
import { ConversionLedger } from './application/ports/conversion-ledger.port';
import { RedisConversionLedger } from './infrastructure/redis-conversion-ledger';
import { CampaignCatalogue } from './application/campaign-catalogue';
import { CampaignStatsUseCase } from './application/campaign-stats.use-case';
import { DecideTriggersUseCase } from './application/decide-triggers.use-case';
import { DefineCampaignUseCase } from './application/define-campaign.use-case';
import { MoveCampaignUseCase } from './application/move-campaign.use-case';
import { CampaignCounters } from './application/ports/campaign-counters.port';
import { CatalogueVersions } from './application/ports/catalogue-versions.port';
import { ChannelHistories } from './application/ports/channel-histories.port';
import { RedisChannelHistories } from './infrastructure/redis-channel-histories';
import { RedisCatalogueVersions } from './infrastructure/redis-catalogue-versions';
import { CampaignStore } from './application/ports/campaign-store.port';
import { DecisionLedger } from './application/ports/decision-ledger.port';
import { Postponements } from './application/ports/postponements.port';
import { ReadCampaignsUseCase } from './application/read-campaigns.use-case';
import { WatchKpisUseCase } from './application/watch-kpis.use-case';
import { RecordResponsesUseCase } from './application/record-responses.use-case';
import { ResponseCounters } from './application/ports/response-counters.port';
import { RedisResponseCounters } from './infrastructure/redis-response-counters';
import { CampaignRepository } from './infrastructure/campaign.repository';
import { PostponedDecisionQueue } from './infrastructure/postponed-decision-queue';
import { PostponedDecisionWorker } from './infrastructure/postponed-decision.worker';
import { RedisCampaignCounters, RedisDecisionLedger } from './infrastructure/redis-decision-ledger';

/** The KPI watch's schedule (a BullMQ job scheduler: each occurrence runs on one instance). */
const KPI_WATCH_JOB = Symbol('KPI_WATCH_JOB');

/** The channel adapters (issue 12, point 4): `phone` to the RMs' work lists, the rest to the gateway's webhook or the local outbox. */
function channelGateway(config: CampaignConfig, customers: CustomerRecords, catalogue: CampaignCatalogue, tasks: RmTaskChanges, clock: Clock): ChannelGateway {
  const others =
    config.CAMPAIGN_DELIVERY_ADAPTER === 'webhook'
      ? new WebhookGateway({ url: config.CAMPAIGN_WEBHOOK_URL as string, secret: config.CAMPAIGN_WEBHOOK_SECRET, timeoutMs: config.CAMPAIGN_WEBHOOK_TIMEOUT_MS, tries: config.CAMPAIGN_WEBHOOK_TRIES, breakAfter: config.CAMPAIGN_WEBHOOK_BREAK_AFTER, halfOpenAfterMs: config.CAMPAIGN_WEBHOOK_HALF_OPEN_MS, now: () => clock.now().getTime() })
      : new OutboxGateway(config.CAMPAIGN_OUTBOX_FILE);
  return new ChannelRouter({ phone: new RmTaskGateway(customers, catalogue, tasks, () => config.rules) }, others);
}

/** Campaign definitions, the decisions on their triggers, the hand-over to the channels, their reports and the conversions (issue 12, points 1 to 8). */
@Module({
  imports: [CustomersModule, LoyaltyModule, LeadsModule],
  controllers: [CampaignsController, SegmentNewsConsumer, InteractionsConsumer, GoalEventsConsumer, CampaignMessagesConsumer],
  providers: [
    CampaignRepository,
    { provide: CampaignStore, useExisting: CampaignRepository },
    RedisDecisionLedger,
    { provide: DecisionLedger, useExisting: RedisDecisionLedger },
    RedisCampaignCounters,
    { provide: CampaignCounters, useExisting: RedisCampaignCounters },
    RedisResponseCounters,
    { provide: ResponseCounters, useExisting: RedisResponseCounters },
    RecordResponsesUseCase,
    RedisConversionLedger,
    { provide: ConversionLedger, useExisting: RedisConversionLedger },
    AttributeConversionsUseCase,
    PostponedDecisionQueue,
    { provide: Postponements, useExisting: PostponedDecisionQueue },
    RedisChannelHistories,
    { provide: ChannelHistories, useExisting: RedisChannelHistories },
    RedisCatalogueVersions,
    { provide: CatalogueVersions, useExisting: RedisCatalogueVersions },
    CampaignCatalogue,
    DefineCampaignUseCase,
    MoveCampaignUseCase,
    ReadCampaignsUseCase,
    CampaignStatsUseCase,
    DecideTriggersUseCase,
    DecideActivityUseCase,
    ApplySegmentNewsUseCase,
    PostponedDecisionWorker,
    WatchKpisUseCase,
    BullDeliveryQueue,
    { provide: DeliveryQueue, useExisting: BullDeliveryQueue },
    QueueDeliveriesUseCase,
    { provide: ChannelGateway, inject: [CampaignConfig, CustomerRecords, CampaignCatalogue, RmTaskChanges, Clock], useFactory: channelGateway },
    DeliverMessageUseCase,
    DeliveryWorker,
    RedisBatchRuns,
    { provide: BatchRuns, useExisting: RedisBatchRuns },
    BatchAudienceQueue,
    { provide: BatchSchedule, useExisting: BatchAudienceQueue },
    PrometheusBatchMetrics,
    { provide: BatchMetrics, useExisting: PrometheusBatchMetrics },
    RunBatchAudienceUseCase,
    BatchProgressUseCase,
    BatchAudienceWorker,
    {
      provide: KPI_WATCH_JOB,
      inject: [CampaignConfig, WatchKpisUseCase],
      useFactory: (config: CampaignConfig, watch: WatchKpisUseCase) => new ScheduledJob({ name: 'campaign-kpi-watch', everyMs: config.CAMPAIGN_KPI_EVERY_SECONDS * 1000, redisUrl: config.REDIS_URL, prefix: config.redisPrefix, run: () => watch.execute() }),
    },
  ],
})
export class CampaignsModule {}

import { Module } from '@nestjs/common';
import { MeridianCoreModule } from '@meridian/shared';
import { IngestConfig } from './config/ingest.config';
import { IdentitiesController } from './identity/api/identities.controller';
import { IdentityOutboxRelay } from './identity/application/identity-outbox.relay';
import { IdentityResolver } from './identity/application/identity-resolver';
import { LiftSeparationUseCase } from './identity/application/lift-separation.use-case';
import { UnmergeIdentityUseCase } from './identity/application/unmerge-identity.use-case';
import { IdentityStore } from './identity/application/ports/identity-store.port';
import { IdentityRepository } from './identity/infrastructure/identity.repository';
import { CoreEventsConsumer } from './intake/api/core-events.consumer';
import { EventsController } from './intake/api/events.controller';
import { ImportsController } from './intake/api/imports.controller';
import { DedupRetention, dedupRetentionJob } from './intake/application/dedup-retention';
import { ImportCustomersUseCase } from './intake/application/import-customers.use-case';
import { IntakePipeline } from './intake/application/intake-pipeline';
import { EventDedup } from './intake/application/ports/event-dedup.port';
import { ImportLog } from './intake/application/ports/import-log.port';
import { IntakeMetrics } from './intake/application/ports/intake-metrics.port';
import { DedupStore } from './intake/infrastructure/dedup.store';
import { ImportLogRepository } from './intake/infrastructure/import-log.repository';
import { PrometheusIntakeMetrics } from './intake/infrastructure/prometheus-intake-metrics';
import { QualityController } from './quality/api/quality.controller';
import { QualityMonitor } from './quality/application/quality-monitor';
import { QualityLedger } from './quality/application/ports/quality-ledger.port';
import { QualityStore } from './quality/infrastructure/quality.store';

@Module({
  imports: [MeridianCoreModule.forRoot({ service: 'ingest', config: IngestConfig, checksKeys: ['BLIND_INDEX_KEY'] })],
  controllers: [EventsController, ImportsController, QualityController, IdentitiesController, CoreEventsConsumer],
  providers: [
    IntakePipeline,
    ImportCustomersUseCase,
    DedupStore,
    { provide: EventDedup, useExisting: DedupStore },
    PrometheusIntakeMetrics,
    { provide: IntakeMetrics, useExisting: PrometheusIntakeMetrics },
    ImportLogRepository,
    { provide: ImportLog, useExisting: ImportLogRepository },
    DedupRetention,
    dedupRetentionJob,
    IdentityRepository,
    { provide: IdentityStore, useExisting: IdentityRepository },
    IdentityResolver,
    IdentityOutboxRelay,
    UnmergeIdentityUseCase,
    LiftSeparationUseCase,
    QualityStore,
    { provide: QualityLedger, useExisting: QualityStore },
    QualityMonitor,
  ],
})
export class AppModule {}

import { Module } from '@nestjs/common';
import { KeyedMutex, MeridianCoreModule } from '@meridian/shared';
import { ProfileConfig } from './config/profile.config';
import { AdminKeysController } from './profile/api/admin-keys.controller';
import { CustomersController } from './profile/api/customers.controller';
import { ProfileEventsConsumer } from './profile/api/profile-events.consumer';
import { SweepsController } from './profile/api/sweeps.controller';
import { ApplyCustomerErasedUseCase } from './profile/application/apply-customer-erased.use-case';
import { CustomerViews } from './profile/application/customer-views';
import { FoldProfileEventsUseCase } from './profile/application/fold-profile-events.use-case';
import { DataKeyRewrap } from './profile/application/ports/data-key-rewrap.port';
import { DataKeys } from './profile/application/ports/data-keys.port';
import { ErasureMarkers } from './profile/application/ports/erasure-markers.port';
import { PiiIndex } from './profile/application/ports/pii-index.port';
import { ProfileEventLog } from './profile/application/ports/profile-event-log.port';
import { ProfileSealer } from './profile/application/ports/profile-sealer.port';
import { ProfileDueIndex } from './profile/application/ports/profile-due-index.port';
import { ProfileStore } from './profile/application/ports/profile-store.port';
import { RollLock, RollMetrics, RollRecords } from './profile/application/ports/roll-records.port';
import { RewrapRecords, RewrapRuns } from './profile/application/ports/rewrap-records.port';
import { ProfileEraser } from './profile/application/profile-eraser';
import { RebuildIdentityUseCase } from './profile/application/rebuild-identity.use-case';
import { ReportRewrapUseCase } from './profile/application/report-rewrap.use-case';
import { RewrapDataKeysUseCase } from './profile/application/rewrap-data-keys.use-case';
import { RollProfilesUseCase } from './profile/application/roll-profiles.use-case';
import { DataKeyRewrapStore } from './profile/infrastructure/data-key-rewrap.store';
import { DataKeyStore } from './profile/infrastructure/data-key.store';
import { ErasureMarkerRepository } from './profile/infrastructure/erasure-marker.repository';
import { MasterKeyRewrapJob } from './profile/infrastructure/master-key-rewrap.job';
import { PrometheusRollMetrics } from './profile/infrastructure/prometheus-roll-metrics';
import { ProfileEventLogRepository } from './profile/infrastructure/profile-event-log.repository';
import { ProfileRepository } from './profile/infrastructure/profile.repository';
import { ProfileSealing } from './profile/infrastructure/profile-sealing';
import { RedisProfileDueIndex } from './profile/infrastructure/redis-profile-due-index';
import { RedisRollLock } from './profile/infrastructure/redis-roll-lock';
import { RewrapRecordsRepository } from './profile/infrastructure/rewrap-records.repository';
import { RollRecordRepository } from './profile/infrastructure/roll-record.repository';
import { RollScheduler } from './profile/infrastructure/roll-scheduler';

/** Master key rotation (ADR 0008): the re-wrap job, its ports and its admin route. */
const KEY_ROTATION = [
  DataKeyRewrapStore,
  RewrapRecordsRepository,
  MasterKeyRewrapJob,
  { provide: DataKeyRewrap, useExisting: DataKeyRewrapStore },
  { provide: RewrapRecords, useExisting: RewrapRecordsRepository },
  { provide: RewrapRuns, useExisting: MasterKeyRewrapJob },
  RewrapDataKeysUseCase,
  ReportRewrapUseCase,
];

/** The day roll (issue 10, point 5): the due index the fold keeps, roll checkpoints, its lease, metrics, the daily job and its route. */
const DAY_ROLL = [
  RedisProfileDueIndex,
  RollRecordRepository,
  RedisRollLock,
  PrometheusRollMetrics,
  { provide: ProfileDueIndex, useExisting: RedisProfileDueIndex },
  { provide: RollRecords, useExisting: RollRecordRepository },
  { provide: RollLock, useExisting: RedisRollLock },
  { provide: RollMetrics, useExisting: PrometheusRollMetrics },
  RollProfilesUseCase,
  RollScheduler,
];

/** Ports (STYLE.md rule 3) bound to their adapters: profiles and look-ups on MongoDB + Redis, the event log and its timeline index on MongoDB, sealing on FieldEncryption. */
const PORTS = [
  { provide: ProfileStore, useExisting: ProfileRepository },
  { provide: ProfileEventLog, useExisting: ProfileEventLogRepository },
  { provide: PiiIndex, useExisting: ProfileRepository },
  { provide: DataKeys, useExisting: DataKeyStore },
  { provide: ProfileSealer, useExisting: ProfileSealing },
  { provide: ErasureMarkers, useExisting: ErasureMarkerRepository },
];

@Module({
  imports: [MeridianCoreModule.forRoot({ service: 'profile', config: ProfileConfig, checksKeys: ['FIELD_ENCRYPTION_MASTER_KEY', 'BLIND_INDEX_KEY'] })],
  controllers: [CustomersController, ProfileEventsConsumer, AdminKeysController, SweepsController],
  providers: [
    { provide: KeyedMutex, useValue: new KeyedMutex() },
    ProfileRepository,
    ProfileEventLogRepository,
    DataKeyStore,
    ErasureMarkerRepository,
    ...PORTS,
    ProfileSealing,
    FoldProfileEventsUseCase,
    RebuildIdentityUseCase,
    ApplyCustomerErasedUseCase,
    ProfileEraser,
    CustomerViews,
    ...KEY_ROTATION,
    ...DAY_ROLL,
  ],
})
export class AppModule {}

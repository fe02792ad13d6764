import { Module } from '@nestjs/common';
import { KeyedMutex } from '@meridian/shared';
import { TagsModule } from '../tags/tags.module';
import { ProfileUpdatesConsumer } from './api/profile-updates.consumer';
import { EvaluateProfileUpdatesUseCase } from './application/evaluate-profile-updates.use-case';
import { DueIndex } from './application/ports/due-index.port';
import { RfmCalibrations } from './application/ports/rfm-calibrations.port';
import { RuleBook } from './application/ports/rule-book.port';
import { SegmentAnalytics } from './application/ports/segment-analytics.port';
import { SettledWrites } from './application/ports/settled-writes.port';
import { SegmentDefinitions } from './application/ports/segment-definitions.port';
import { SegmentStateStore } from './application/ports/segment-state-store.port';
import { ConfiguredRuleBook } from './infrastructure/configured-rule-book';
import { JudgedWrites } from './application/judged-writes';
import { StateWrites } from './application/state-writes';
import { RedisDueIndex } from './infrastructure/redis-due-index';
import { RedisSegmentAnalytics } from './infrastructure/redis-segment-analytics';
import { RedisSettledWrites } from './infrastructure/redis-settled-writes';
import { RfmCalibrationRepository } from './infrastructure/rfm-calibration.repository';
import { SegmentDefinitionRepository } from './infrastructure/segment-definition.repository';
import { SegmentStateRepository } from './infrastructure/segment-state.repository';

/** Streaming segmentation: ProfileUpdated in, crm.segment.v1 changes out; the state writes the sweep shares. */
@Module({
  imports: [TagsModule],
  controllers: [ProfileUpdatesConsumer],
  providers: [
    { provide: KeyedMutex, useValue: new KeyedMutex() },
    SegmentStateRepository,
    SegmentDefinitionRepository,
    { provide: SegmentDefinitions, useExisting: SegmentDefinitionRepository },
    RfmCalibrationRepository,
    { provide: RfmCalibrations, useExisting: RfmCalibrationRepository },
    ConfiguredRuleBook,
    RedisDueIndex,
    RedisSegmentAnalytics,
    RedisSettledWrites,
    { provide: SegmentStateStore, useExisting: SegmentStateRepository },
    { provide: RuleBook, useExisting: ConfiguredRuleBook },
    { provide: DueIndex, useExisting: RedisDueIndex },
    { provide: SegmentAnalytics, useExisting: RedisSegmentAnalytics },
    { provide: SettledWrites, useExisting: RedisSettledWrites },
    StateWrites,
    JudgedWrites,
    EvaluateProfileUpdatesUseCase,
  ],
  exports: [StateWrites, JudgedWrites, RuleBook, RfmCalibrations, DueIndex, SegmentAnalytics, SegmentStateStore, SegmentDefinitions],
})
export class SegmentsModule {}

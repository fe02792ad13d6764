import { Module } from '@nestjs/common';
import { KeyedMutex } from '@meridian/shared';
import { ProfileUpdatesConsumer } from './api/profile-updates.consumer';
import { EvaluateProfileUpdatesUseCase } from './application/evaluate-profile-updates.use-case';
import { RuleBook } from './application/ports/rule-book.port';
import { SegmentStateStore } from './application/ports/segment-state-store.port';
import { ConfiguredRuleBook } from './infrastructure/configured-rule-book';
import { SegmentStateRepository } from './infrastructure/segment-state.repository';

/** Streaming segmentation: ProfileUpdated in, crm.segment.v1 changes out. */
@Module({
  controllers: [ProfileUpdatesConsumer],
  providers: [
    { provide: KeyedMutex, useValue: new KeyedMutex() },
    SegmentStateRepository,
    ConfiguredRuleBook,
    { provide: SegmentStateStore, useExisting: SegmentStateRepository },
    { provide: RuleBook, useExisting: ConfiguredRuleBook },
    EvaluateProfileUpdatesUseCase,
  ],
})
export class SegmentsModule {}

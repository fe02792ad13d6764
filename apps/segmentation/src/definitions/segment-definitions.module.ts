import { Module } from '@nestjs/common';
import { SegmentsModule } from '../segments/segments.module';
import { TagsModule } from '../tags/tags.module';
import { CustomerSegmentsController } from './api/customer-segments.controller';
import { SegmentsController } from './api/segments.controller';
import { BackfillSegmentUseCase } from './application/backfill-segment.use-case';
import { BackfillLock, SegmentBackfills } from './application/ports/segment-backfills.port';
import { SegmentDefinitionsUseCase } from './application/segment-definitions.use-case';
import { BackfillResumer } from './infrastructure/backfill-resumer';
import { RedisBackfillLock } from './infrastructure/redis-backfill-lock';
import { SegmentBackfillRepository } from './infrastructure/segment-backfill.repository';

/** Segment definitions (/v1/segments), their back-fills, and membership reads (members, a customer's segments). */
@Module({
  imports: [SegmentsModule, TagsModule],
  controllers: [SegmentsController, CustomerSegmentsController],
  providers: [
    SegmentBackfillRepository,
    RedisBackfillLock,
    { provide: SegmentBackfills, useExisting: SegmentBackfillRepository },
    { provide: BackfillLock, useExisting: RedisBackfillLock },
    BackfillSegmentUseCase,
    SegmentDefinitionsUseCase,
    BackfillResumer,
  ],
})
export class SegmentDefinitionsModule {}

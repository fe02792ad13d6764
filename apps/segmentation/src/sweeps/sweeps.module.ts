import { Module } from '@nestjs/common';
import { SegmentsModule } from '../segments/segments.module';
import { SweepsController } from './api/sweeps.controller';
import { SweepLock } from './application/ports/sweep-lock.port';
import { SweepMetrics } from './application/ports/sweep-metrics.port';
import { SweepRecords } from './application/ports/sweep-records.port';
import { RecalibrateRfmUseCase } from './application/recalibrate-rfm.use-case';
import { RunSweepUseCase } from './application/run-sweep.use-case';
import { PrometheusSweepMetrics } from './infrastructure/prometheus-sweep-metrics';
import { RedisSweepLock } from './infrastructure/redis-sweep-lock';
import { SweepRecordRepository } from './infrastructure/sweep-record.repository';
import { SweepScheduler } from './infrastructure/sweep-scheduler';

/** The time that passes: the daily sweep over the due index, scheduled and on demand. */
@Module({
  imports: [SegmentsModule],
  controllers: [SweepsController],
  providers: [
    SweepRecordRepository,
    RedisSweepLock,
    PrometheusSweepMetrics,
    { provide: SweepRecords, useExisting: SweepRecordRepository },
    { provide: SweepLock, useExisting: RedisSweepLock },
    { provide: SweepMetrics, useExisting: PrometheusSweepMetrics },
    RecalibrateRfmUseCase,
    RunSweepUseCase,
    SweepScheduler,
  ],
})
export class SweepsModule {}

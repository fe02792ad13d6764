import { Module } from '@nestjs/common';
import { SegmentsModule } from '../segments/segments.module';
import { AnalyticsController } from './api/analytics.controller';
import { AnalyticsReports } from './application/analytics-reports';
import { ClusterSampleStore } from './application/ports/cluster-sample-store.port';
import { RefreshClusterSampleUseCase } from './application/refresh-cluster-sample.use-case';
import { ClusterSampleRepository } from './infrastructure/cluster-sample.repository';
import { ClusterSampleScheduler } from './infrastructure/cluster-sample-scheduler';

/** /v1/analytics: aggregates from the counters segmentation keeps, and clusters of a stored behaviour sample. */
@Module({
  imports: [SegmentsModule],
  controllers: [AnalyticsController],
  providers: [
    ClusterSampleRepository,
    { provide: ClusterSampleStore, useExisting: ClusterSampleRepository },
    RefreshClusterSampleUseCase,
    AnalyticsReports,
    ClusterSampleScheduler,
  ],
})
export class AnalyticsModule {}

import { Module } from '@nestjs/common';
import { MeridianCoreModule } from '@meridian/shared';
import { AnalyticsModule } from './analytics/analytics.module';
import { SegmentationConfig } from './config/segmentation.config';
import { SegmentDefinitionsModule } from './definitions/segment-definitions.module';
import { SegmentsModule } from './segments/segments.module';
import { SweepsModule } from './sweeps/sweeps.module';
import { TagsModule } from './tags/tags.module';

@Module({
  imports: [
    MeridianCoreModule.forRoot({ service: 'segmentation', config: SegmentationConfig }),
    TagsModule,
    SegmentsModule,
    SweepsModule,
    AnalyticsModule,
    SegmentDefinitionsModule,
  ],
})
export class AppModule {}

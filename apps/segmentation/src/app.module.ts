import { Module } from '@nestjs/common';
import { MeridianCoreModule } from '@meridian/shared';
import { SegmentationConfig } from './config/segmentation.config';
import { TagsModule } from './tags/tags.module';

@Module({
  imports: [
    MeridianCoreModule.forRoot({ service: 'segmentation', config: SegmentationConfig }),
    TagsModule,
  ],
})
export class AppModule {}

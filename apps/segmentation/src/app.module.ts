import { Module } from '@nestjs/common';
import { MeridianCoreModule } from '@meridian/shared';
import { SegmentationConfig } from './config/segmentation.config';

@Module({
  imports: [MeridianCoreModule.forRoot({ service: 'segmentation', config: SegmentationConfig })],
})
export class AppModule {}

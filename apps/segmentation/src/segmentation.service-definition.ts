import { TOPICS } from '@meridian/events';
import { ServiceDefinition } from '@meridian/shared';
import { AppModule } from './app.module';
import { SegmentationConfig } from './config/segmentation.config';

/** What segmentation is, what it reads and writes (ARCHITECTURE.md: services). */
export const segmentationService: ServiceDefinition<SegmentationConfig> = {
  service: 'segmentation',
  title: 'segmentation',
  description: 'Value tiers, RFM, lifecycle stages, churn risk, tags and rule-based segments, streaming and in a daily sweep.',
  module: AppModule,
  config: SegmentationConfig,
  consumes: [
    TOPICS.profile,
    TOPICS.governance,
  ],
  produces: [
    TOPICS.segment,
  ],
};

import { Module } from '@nestjs/common';
import { SegmentationConfig } from '../config/segmentation.config';
import { TagsController } from './api/tags.controller';
import { loadTagCatalogue } from './domain/tag-catalogue';
import { TAG_CATALOGUE } from './tag-catalogue.token';

/**
 * The tag catalogue, loaded and checked once at start (a broken catalogue stops the service
 * with every problem listed), served at GET /v1/tags and exported for the evaluators.
 */
@Module({
  controllers: [TagsController],
  providers: [{ provide: TAG_CATALOGUE, inject: [SegmentationConfig], useFactory: (config: SegmentationConfig) => loadTagCatalogue(undefined, config.ruleLimits) }],
  exports: [TAG_CATALOGUE],
})
export class TagsModule {}

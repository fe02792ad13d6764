import { ServiceConfig } from '@meridian/shared';

/** segmentation's environment (README: configuration): the shared variables, its default port, and its own as they come. */
export class SegmentationConfig extends ServiceConfig {
  override PORT = 3003;
}

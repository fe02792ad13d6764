import { ServiceConfig } from '@meridian/shared';

/** ingest's environment (README: configuration): the shared variables, its default port, and its own as they come. */
export class IngestConfig extends ServiceConfig {
  override PORT = 3001;
}

import { TOPICS } from '@meridian/events';
import { ServiceDefinition } from '@meridian/shared';
import { AppModule } from './app.module';
import { IngestConfig } from './config/ingest.config';

/** What ingest is, what it reads and writes (ARCHITECTURE.md: services). */
export const ingestService: ServiceDefinition<IngestConfig> = {
  service: 'ingest',
  title: 'ingest',
  description: 'Validated, de-duplicated, identity-resolved intake of core banking events (Kafka core.*.v1, POST /v1/events, CSV imports).',
  module: AppModule,
  config: IngestConfig,
  consumes: [
    TOPICS.coreCustomers,
    TOPICS.coreProducts,
    TOPICS.coreTransactions,
    TOPICS.coreInteractions,
  ],
  produces: [
    TOPICS.customer,
    TOPICS.product,
    TOPICS.transaction,
    TOPICS.interaction,
    TOPICS.governance,
  ],
  jsonBodyLimit: (c) => c.INGEST_MAX_BODY_BYTES,
  requestTimeoutMs: (c) => c.INGEST_HTTP_REQUEST_TIMEOUT_MS,
};

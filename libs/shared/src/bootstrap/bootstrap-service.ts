import { INestApplication, Type, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { TOPICS, toFieldErrors } from '@meridian/events';
import { EventPublisher, KafkaEventServer, ensureTopics } from '@meridian/events/kafka';
import { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { ConfigValidationError, loadConfig } from '../config/config-loader';
import { ServiceConfig } from '../config/service-config';
import { IDEMPOTENCY_GUARD, KAFKA, databaseName } from '../core/meridian-core.module';
import { FieldValidationException, ProblemDetailsFilter } from '../http/problem-details.filter';
import { correlationMiddleware } from '../logging/correlation.middleware';
import { PinoNestLogger, createLogger, eventLoggerFrom, withCorrelation } from '../logging/logger';
import { MetricsService } from '../metrics/metrics.service';

export interface ServiceDefinition<C extends ServiceConfig> {
  service: string;
  title: string;
  description: string;
  module: Type<unknown>;
  config: Type<C>;
  /** Topics the service's consumer group reads. */
  consumes: string[];
  /** Topics it writes (created at start-up with the consumed ones and the dead-letter topic). */
  produces: string[];
}

export function consumerGroupId(service: string, config: ServiceConfig): string {
  return config.KAFKA_GROUP_ID ?? `meridian-${service}`;
}

/** Validation of HTTP bodies and queries: 400 with `errors: [{field, rule, message}]`. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new FieldValidationException(toFieldErrors(errors)),
  });
}

export async function createServiceApp<C extends ServiceConfig>(
  definition: ServiceDefinition<C>,
  config: C,
  logger: Logger,
): Promise<INestApplication> {
  const app = await NestFactory.create(definition.module, { logger: new PinoNestLogger(logger), bodyParser: true });
  app.use(correlationMiddleware);
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.useGlobalPipes(createValidationPipe());

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(`Meridian ${definition.title}`)
      .setDescription(definition.description)
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });

  const kafka = app.get<Kafka>(KAFKA);
  const groupId = consumerGroupId(definition.service, config);
  app.connectMicroservice(
    {
      strategy: new KafkaEventServer({
        kafka,
        groupId,
        service: definition.service,
        topics: definition.consumes,
        topicPrefix: config.KAFKA_TOPIC_PREFIX,
        deadLetters: app.get(EventPublisher),
        guard: app.get(IDEMPOTENCY_GUARD),
        metrics: app.get(MetricsService),
        logger: eventLoggerFrom(logger),
        around: (envelope, run) => withCorrelation(envelope.correlationId ?? envelope.eventId, run),
        retry: { maxAttempts: config.KAFKA_MAX_ATTEMPTS },
        partitionsConsumedConcurrently: config.KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY,
        prepare: config.KAFKA_CREATE_TOPICS
          ? () =>
              ensureTopics(
                kafka,
                [...new Set([...definition.consumes, ...definition.produces, TOPICS.deadLetter])].map((topic) => ({ topic })),
                { topicPrefix: config.KAFKA_TOPIC_PREFIX },
              )
          : undefined,
      }),
    },
    { inheritAppConfig: true },
  );
  return app;
}

/**
 * The one `main.ts` of every service (STYLE.md rule 13): validated config (a bad
 * variable stops the process naming it), pino logs, problem+json errors, OpenAPI at
 * /docs, the Kafka consumer group as a Nest microservice, graceful shutdown.
 */
export async function bootstrapService<C extends ServiceConfig>(definition: ServiceDefinition<C>): Promise<INestApplication> {
  let config: C;
  try {
    config = loadConfig(definition.config);
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`${definition.service}: ${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = createLogger(definition.service, config.LOG_LEVEL);
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
  try {
    const app = await createServiceApp(definition, config, logger);
    await app.init();
    await app.startAllMicroservices();
    await app.listen(config.PORT, '0.0.0.0');
    logger.info(
      { port: config.PORT, database: databaseName(definition.service, config), groupId: consumerGroupId(definition.service, config) },
      `${definition.service} listening`,
    );
    // Our own signal handling instead of enableShutdownHooks(): the same app.close() (HTTP
    // stops, the consumer finishes its record and commits, clients close), bounded by
    // SHUTDOWN_TIMEOUT_MS, then exit 0 rather than re-raising the signal.
    const shutdown = async (signal: string) => {
      logger.info({ signal }, `${definition.service} stopping`);
      setTimeout(() => {
        logger.error('graceful shutdown timed out');
        process.exit(1);
      }, config.SHUTDOWN_TIMEOUT_MS).unref();
      await app.close();
      logger.info(`${definition.service} stopped`);
      process.exit(0);
    };
    process.once('SIGTERM', (s) => void shutdown(s));
    process.once('SIGINT', (s) => void shutdown(s));
    return app;
  } catch (error) {
    logger.fatal({ err: error }, `${definition.service} failed to start`);
    process.exit(1);
  }
}


import { INestApplication, Type, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { TOPICS, toFieldErrors } from '@meridian/events';
import { EventPublisher, KafkaEventServer, ensureTopics } from '@meridian/events/kafka';
import { Kafka } from 'kafkajs';
import type Redis from 'ioredis';
import type { Connection } from 'mongoose';
import { getConnectionToken } from '@nestjs/mongoose';
import { dependencyProbe } from '../health/health.indicators';
import { REDIS } from '../redis/redis.factory';
import type { Logger } from 'pino';
import { ConfigValidationError, loadConfig } from '../config/config-loader';
import { ServiceConfig } from '../config/service-config';
import { IDEMPOTENCY_GUARD, KAFKA, databaseName } from '../core/meridian-core.module';
import { ConsumptionControl } from '../messaging/consumption-control';
import { FieldValidationException, ProblemDetails, ProblemDetailsFilter } from '../http/problem-details.filter';
import { correlationMiddleware } from '../logging/correlation.middleware';
import { PinoNestLogger, createLogger, currentCorrelationId, eventLoggerFrom, withCorrelation } from '../logging/logger';
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
  /** Largest JSON body (bytes); default 1 MiB. */
  jsonBodyLimit?: (config: C) => number;
  /** How long one HTTP request may take (ms), e.g. a long streamed upload; default Node's 5 minutes. */
  requestTimeoutMs?: (config: C) => number;
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

/**
 * Errors of the body parser (malformed JSON, a body over the limit, an unsupported
 * charset) happen before Nest's router, so Nest's filters never see them: answer them as
 * problem+json here, naming the rule. Anything else that fails there is answered as a bare
 * 500 with the correlation id, its detail logged — never Express's default page, which
 * shows the stack outside production.
 */
export function bodyParserProblems(logger: Logger) {
  return (
    error: { status?: number; statusCode?: number; type?: string; message?: string },
    req: { originalUrl?: string; method?: string },
    res: { status(code: number): { type(t: string): { send(body: string): void } } },
    _next: (error?: unknown) => void,
  ): void => {
    const status = error?.status ?? error?.statusCode;
    if (!status || status < 400 || status >= 500) {
      const correlationId = currentCorrelationId();
      logger.error({ err: error, correlationId }, `${req.method ?? ''} ${(req.originalUrl ?? '').split('?')[0]} failed before routing`);
      const problem: ProblemDetails = { type: 'https://meridian.dev/problems/internal-server-error', title: 'internal server error', status: 500, ...(correlationId ? { correlationId } : {}) };
      res.status(500).type('application/problem+json').send(JSON.stringify(problem));
      return;
    }
    const rule = error.type === 'entity.parse.failed' ? 'isJson' : error.type === 'entity.too.large' ? 'maxBodySize' : (error.type ?? 'body');
    const title = status === 413 ? 'payload too large' : status === 415 ? 'unsupported media type' : 'bad request';
    const problem: ProblemDetails = {
      type: `https://meridian.dev/problems/${title.replace(/ /g, '-')}`,
      title,
      status,
      detail: String(error.message ?? title),
      instance: req.originalUrl,
      errors: [{ field: 'body', rule, message: String(error.message ?? title) }],
    };
    res.status(status).type('application/problem+json').send(JSON.stringify(problem));
  };
}

export async function createServiceApp<C extends ServiceConfig>(
  definition: ServiceDefinition<C>,
  config: C,
  logger: Logger,
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(definition.module, { logger: new PinoNestLogger(logger), bodyParser: false });
  app.use(correlationMiddleware);
  app.useBodyParser('json', { limit: definition.jsonBodyLimit?.(config) ?? 1024 * 1024 });
  app.use(bodyParserProblems(logger));
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
  const consumer = new KafkaEventServer({
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
    probe: dependencyProbe(app.get<Redis>(REDIS), app.get<Connection>(getConnectionToken())),
    prepare: config.KAFKA_CREATE_TOPICS
      ? () =>
          ensureTopics(
            kafka,
            [...new Set([...definition.consumes, ...definition.produces, TOPICS.deadLetter])].map((topic) => ({ topic })),
            { topicPrefix: config.KAFKA_TOPIC_PREFIX },
          )
      : undefined,
  });
  // The service's own code holds consumption still through ConsumptionControl (e.g. segmentation's rebuild of its Redis aggregates).
  app.get(ConsumptionControl).attach(consumer);
  app.connectMicroservice({ strategy: consumer }, { inheritAppConfig: true });
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
    const timeout = definition.requestTimeoutMs?.(config);
    if (timeout) (app.getHttpServer() as { requestTimeout: number }).requestTimeout = timeout;
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


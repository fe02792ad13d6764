import { DynamicModule, Global, Inject, Module, OnApplicationShutdown, Type } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { MongooseModule, getConnectionToken } from '@nestjs/mongoose';
import { TerminusModule } from '@nestjs/terminus';
import { EventPublisher, createKafka, parseBrokers } from '@meridian/events/kafka';
import type Redis from 'ioredis';
import { Kafka } from 'kafkajs';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import { AuthGuard } from '../auth/auth.guard';
import { JwtVerifier } from '../auth/jwt-verifier';
import { RouteRolesCheck } from '../auth/route-roles.check';
import { Clock, SystemClock } from '../clock/clock';
import { loadConfig } from '../config/config-loader';
import { ServiceConfig } from '../config/service-config';
import { BlindIndex, FieldEncryption } from '../crypto/field-encryption';
import { CheckedKey, KeyCheckOnStart } from '../crypto/key-check-on-start';
import { HealthCheckLogger } from '../health/health-check.logger';
import { HealthController } from '../health/health.controller';
import { KafkaHealthIndicator, RedisHealthIndicator } from '../health/health.indicators';
import { createLogger, eventLoggerFrom } from '../logging/logger';
import { appliedEventsRetention } from '../messaging/applied-events-retention';
import { ConsumptionControl } from '../messaging/consumption-control';
import { keepConnecting } from '../mongo/keep-connecting';
import { LayeredIdempotencyGuard, MongoIdempotencyGuard, RedisIdempotencyGuard } from '../messaging/idempotency-guards';
import { MetricsController } from '../metrics/metrics.controller';
import { MetricsService } from '../metrics/metrics.service';
import { REDIS, createRedis } from '../redis/redis.factory';

export const SERVICE_NAME = Symbol('SERVICE_NAME');
export const LOGGER = Symbol('LOGGER');
export const KAFKA = Symbol('KAFKA');
export const IDEMPOTENCY_GUARD = Symbol('IDEMPOTENCY_GUARD');
/** The ScheduledJob that keeps the durable idempotency guard to IDEMPOTENCY_RETENTION_DAYS. */
export const APPLIED_EVENTS_RETENTION = Symbol('APPLIED_EVENTS_RETENTION');

export interface MeridianCoreOptions<C extends ServiceConfig> {
  /** e.g. `ingest`; names the consumer group, the database and the logs. */
  service: string;
  config: Type<C>;
  /** Replaces the system clock (tests, replays). */
  clock?: Clock;
  /**
   * The keys whose data this service holds (sealed fields, blind indexes): checked at start
   * against the check values stored with its data; a mismatch stops it, naming the variable.
   */
  checksKeys?: CheckedKey[];
}

export function databaseName(service: string, config: ServiceConfig): string {
  return config.MONGODB_DATABASE ?? `meridian_${service.replace(/-/g, '_')}`;
}

/** Closes the clients this module opened, after Nest has stopped consumers and HTTP. */
class CoreShutdown implements OnApplicationShutdown {
  constructor(
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.publisher.disconnect();
    this.redis.disconnect();
  }
}

/**
 * Everything a Meridian service stands on, wired once: validated configuration, clock,
 * logger, MongoDB (the service's own database), Redis, Kafka client and typed publisher,
 * idempotency guard, field encryption and blind index, JWT auth with roles, /health and
 * /metrics.
 */
/** Holds the validated configuration and the logger; imported where factories need them. */
@Module({})
class MeridianConfigModule {}

/**
 * Everything a Meridian service stands on, wired once: validated configuration, clock,
 * logger, MongoDB (the service's own database), Redis, Kafka client and typed publisher,
 * idempotency guard, field encryption and blind index, JWT auth with roles (start-up fails on
 * a route that declares none), /health and /metrics. Nothing is read from the environment until Nest instantiates the module.
 */
@Global()
@Module({})
export class MeridianCoreModule {
  static forRoot<C extends ServiceConfig>(options: MeridianCoreOptions<C>): DynamicModule {
    const configModule: DynamicModule = {
      module: MeridianConfigModule,
      global: true,
      providers: [
        { provide: ServiceConfig, useFactory: () => loadConfig(options.config) },
        { provide: options.config, useExisting: ServiceConfig },
        { provide: LOGGER, inject: [ServiceConfig], useFactory: (c: ServiceConfig) => createLogger(options.service, c.LOG_LEVEL) },
      ],
      exports: [ServiceConfig, options.config, LOGGER],
    };
    const providers = [
      { provide: SERVICE_NAME, useValue: options.service },
      { provide: Clock, useValue: options.clock ?? new SystemClock() },
      {
        provide: KAFKA,
        inject: [ServiceConfig, LOGGER],
        useFactory: (c: ServiceConfig, logger: Logger): Kafka =>
          createKafka({
            brokers: parseBrokers(c.KAFKA_BROKERS),
            clientId: `meridian-${options.service}`,
            logger: eventLoggerFrom(logger),
          }),
      },
      {
        provide: EventPublisher,
        inject: [KAFKA, ServiceConfig],
        useFactory: (kafka: Kafka, c: ServiceConfig) => new EventPublisher(kafka, { topicPrefix: c.KAFKA_TOPIC_PREFIX }),
      },
      {
        provide: REDIS,
        inject: [ServiceConfig, LOGGER],
        useFactory: (c: ServiceConfig, logger: Logger) => {
          const redis = createRedis(c.REDIS_URL);
          let lastWarned = 0;
          // Without a listener ioredis prints every reconnect failure; log them, at most one a minute.
          redis.on('error', (error: Error) => {
            if (Date.now() - lastWarned < 60_000) return;
            lastWarned = Date.now();
            logger.warn({ err: error.message }, 'redis unavailable; reconnecting');
          });
          return redis;
        },
      },
      {
        provide: MongoIdempotencyGuard,
        inject: [getConnectionToken(), ServiceConfig, Clock],
        useFactory: (connection: Connection, c: ServiceConfig, clock: Clock) =>
          new MongoIdempotencyGuard(connection, { retentionDays: c.IDEMPOTENCY_RETENTION_DAYS, clock }),
      },
      {
        provide: IDEMPOTENCY_GUARD,
        inject: [REDIS, MongoIdempotencyGuard],
        useFactory: (redis: Redis, durable: MongoIdempotencyGuard) => new LayeredIdempotencyGuard(new RedisIdempotencyGuard(redis), durable),
      },
      {
        provide: APPLIED_EVENTS_RETENTION,
        inject: [MongoIdempotencyGuard, ServiceConfig],
        useFactory: (guard: MongoIdempotencyGuard, c: ServiceConfig) =>
          appliedEventsRetention(guard, {
            service: options.service,
            everyMs: c.IDEMPOTENCY_SWEEP_EVERY_MINUTES * 60_000,
            redisUrl: c.REDIS_URL,
            prefix: `${databaseName(options.service, c)}:`,
          }),
      },
      { provide: MetricsService, useFactory: () => new MetricsService(options.service) },
      { provide: ConsumptionControl, useValue: new ConsumptionControl() },
      {
        provide: FieldEncryption,
        inject: [ServiceConfig],
        useFactory: (c: ServiceConfig) => new FieldEncryption(c.FIELD_ENCRYPTION_MASTER_KEY, c.FIELD_ENCRYPTION_PREVIOUS_MASTER_KEYS),
      },
      { provide: BlindIndex, inject: [ServiceConfig], useFactory: (c: ServiceConfig) => new BlindIndex(c.BLIND_INDEX_KEY) },
      {
        provide: JwtVerifier,
        inject: [ServiceConfig],
        useFactory: (c: ServiceConfig) =>
          new JwtVerifier({ secret: c.JWT_SECRET, jwksUrl: c.JWT_JWKS_URL, issuer: c.JWT_ISSUER, audience: c.JWT_AUDIENCE }),
      },
      {
        provide: KeyCheckOnStart,
        inject: [getConnectionToken(), FieldEncryption, BlindIndex, Clock, LOGGER, ServiceConfig],
        useFactory: (connection: Connection, encryption: FieldEncryption, blindIndex: BlindIndex, clock: Clock, logger: Logger, c: ServiceConfig) =>
          new KeyCheckOnStart(options.service, options.checksKeys ?? [], connection, encryption, blindIndex, clock, logger, c.KEY_RECHECK_SECONDS * 1000),
      },
      { provide: APP_GUARD, useClass: AuthGuard },
      RouteRolesCheck,
      KafkaHealthIndicator,
      RedisHealthIndicator,
      CoreShutdown,
    ];
    return {
      module: MeridianCoreModule,
      imports: [
        configModule,
        DiscoveryModule,
        TerminusModule.forRoot({ errorLogStyle: 'json', logger: HealthCheckLogger }),
        MongooseModule.forRootAsync({
          imports: [configModule],
          inject: [ServiceConfig],
          useFactory: (c: ServiceConfig) => {
            const connect = { dbName: databaseName(options.service, c), serverSelectionTimeoutMS: 5_000 };
            return {
              uri: c.MONGODB_URI,
              ...connect,
              lazyConnection: true,
              retryAttempts: 0,
              // The first connection is retried until it is made: a start while MongoDB is down recovers.
              connectionFactory: (connection: Connection) => keepConnecting(connection, c.MONGODB_URI, connect),
            };
          },
        }),
      ],
      controllers: [HealthController, MetricsController],
      providers,
      exports: [
        SERVICE_NAME,
        Clock,
        KAFKA,
        EventPublisher,
        REDIS,
        IDEMPOTENCY_GUARD,
        MongoIdempotencyGuard,
        MetricsService,
        ConsumptionControl,
        FieldEncryption,
        BlindIndex,
        KeyCheckOnStart,
        JwtVerifier,
        MongooseModule,
      ],
    };
  }
}

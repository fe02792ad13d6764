import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { createKafka, describeCluster, parseBrokers } from '@meridian/events/kafka';
import type Redis from 'ioredis';
import { Kafka } from 'kafkajs';
import type { Connection } from 'mongoose';
import { ServiceConfig } from '../config/service-config';
import { REDIS } from '../redis/redis.factory';

const PROBE_TIMEOUT_MS = 2_000;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * The consumer runner's probe (ConsumerRunner `probe`): resolves when Redis and MongoDB
 * answer a ping, so failures during an outage are not taken for poison records.
 */
export function dependencyProbe(redis: Redis, mongo: Connection): () => Promise<void> {
  return async () => {
    await withTimeout(redis.ping(), PROBE_TIMEOUT_MS, 'redis');
    const db = mongo.db;
    if (!db) throw new Error('mongodb is not connected');
    await withTimeout(db.admin().ping(), PROBE_TIMEOUT_MS, 'mongodb');
  };
}

/** Kafka is ready when a broker serves cluster metadata. Its own client: no retries, short timeouts. */
@Injectable()
export class KafkaHealthIndicator {
  private readonly kafka: Kafka;

  constructor(
    private readonly health: HealthIndicatorService,
    config: ServiceConfig,
  ) {
    this.kafka = createKafka({
      brokers: parseBrokers(config.KAFKA_BROKERS),
      clientId: 'health',
      extra: { retry: { retries: 0 }, connectionTimeout: 1_000, requestTimeout: PROBE_TIMEOUT_MS },
    });
  }

  async check(key = 'kafka') {
    const indicator = this.health.check(key);
    try {
      const cluster = await withTimeout(describeCluster(this.kafka), PROBE_TIMEOUT_MS * 2, 'kafka');
      return indicator.up({ brokers: cluster.brokers });
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}

@Injectable()
/** The shared client is closed by the core module after the consumers have stopped, not here. */
export class RedisHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  async check(key = 'redis') {
    const indicator = this.health.check(key);
    try {
      const pong = await withTimeout(this.redis.ping(), PROBE_TIMEOUT_MS, 'redis');
      return pong === 'PONG' ? indicator.up() : indicator.down({ message: `unexpected answer ${pong}` });
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}

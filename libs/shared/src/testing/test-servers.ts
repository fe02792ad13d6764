import { randomBytes } from 'node:crypto';
import { createKafka, parseBrokers } from '@meridian/events/kafka';
import { Kafka } from 'kafkajs';
import mongoose, { Connection } from 'mongoose';

export interface TestServers {
  kafkaBrokers: string;
  mongoUri: string;
  redisUrl: string;
  /** `ferretdb` on machines without Docker, `mongodb` under testcontainers. */
  mongoFlavour: string;
}

/** The real servers tools/jest/global-setup.js found or started. */
export function testServers(): TestServers {
  const { KAFKA_BROKERS, MONGODB_URI, REDIS_URL } = process.env;
  if (!KAFKA_BROKERS || !MONGODB_URI || !REDIS_URL) {
    throw new Error('KAFKA_BROKERS, MONGODB_URI and REDIS_URL are not set: run tests through jest (global setup)');
  }
  return {
    kafkaBrokers: KAFKA_BROKERS,
    mongoUri: MONGODB_URI,
    redisUrl: REDIS_URL,
    mongoFlavour: process.env.MERIDIAN_MONGO_FLAVOUR ?? 'unknown',
  };
}

/** A short unique name, so parallel and repeated runs never share topics, groups or databases. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

/** STYLE.md rule 18: tests refuse a database whose name does not look like a test database. */
export function testDatabaseName(spec: string): string {
  const name = uniqueName(`test_${spec.replace(/[^A-Za-z0-9]/g, '_')}`).slice(0, 63);
  if (!name.startsWith('test_')) throw new Error(`refusing non-test database ${name}`);
  return name;
}

export function testKafka(clientId = uniqueName('test')): Kafka {
  return createKafka({ brokers: parseBrokers(testServers().kafkaBrokers), clientId });
}

export async function testMongo(spec: string): Promise<Connection> {
  const dbName = testDatabaseName(spec);
  return mongoose.createConnection(testServers().mongoUri, { dbName, serverSelectionTimeoutMS: 10_000 }).asPromise();
}

/** Drops the test database and closes the connection. */
export async function dropTestMongo(connection: Connection): Promise<void> {
  if (!connection.name.startsWith('test_')) throw new Error(`refusing to drop ${connection.name}`);
  await connection.dropDatabase();
  await connection.close();
}

/** Polls until `check` returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`);
}

import type { IdempotencyGuard } from '@meridian/events/kafka';
import type Redis from 'ioredis';
import type { Connection } from 'mongoose';
import { Clock, SystemClock } from '../clock/clock';
import { Generation, generationAt, generationName, isExpired, liveGenerations, parseGenerationName } from './guard-generations';

/** Fast window: eventIds seen in the last `ttlSeconds` (default 7 days), in Redis with a TTL. */
export class RedisIdempotencyGuard implements IdempotencyGuard {
  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds = 7 * 24 * 3600,
    private readonly prefix = 'applied:',
  ) {}

  async isApplied(key: string): Promise<boolean> {
    return (await this.redis.exists(this.prefix + key)) === 1;
  }

  async markApplied(key: string): Promise<void> {
    await this.redis.set(this.prefix + key, '1', 'EX', this.ttlSeconds, 'NX');
  }
}

interface AppliedEvent {
  _id: string;
  appliedAt: Date;
}

export interface MongoIdempotencyGuardOptions {
  /** Base of the generation collections' names. */
  collectionName?: string;
  /** How long an applied eventId is remembered at least (at most twice that). */
  retentionDays?: number;
  /** The service's clock (ARCHITECTURE.md principle 6). */
  clock?: Clock;
}

/**
 * Durable record of applied eventIds (a unique `_id` per key), kept in generations of
 * `retentionDays` (guard-generations.ts): a look-up reads by `_id` in the current and the
 * previous generation, and `prune()` drops whole generations past retention — no TTL index
 * (FerretDB v1 has none, INFRA.md) and no scan. Called by AppliedEventsRetention, a BullMQ
 * job scheduler.
 */
export class MongoIdempotencyGuard implements IdempotencyGuard {
  private readonly base: string;
  private readonly retentionDays: number;
  private readonly clock: Clock;

  constructor(
    private readonly connection: Connection,
    options: MongoIdempotencyGuardOptions = {},
  ) {
    this.base = options.collectionName ?? 'applied_events';
    this.retentionDays = options.retentionDays ?? 30;
    this.clock = options.clock ?? new SystemClock();
  }

  private collection(generation: Generation) {
    return this.connection.collection<AppliedEvent>(generationName(this.base, generation));
  }

  async isApplied(key: string): Promise<boolean> {
    const found = await Promise.all(
      liveGenerations(this.clock.now(), this.retentionDays).map((generation) => this.collection(generation).findOne({ _id: key }, { projection: { _id: 1 } })),
    );
    return found.some((doc) => doc !== null);
  }

  async markApplied(key: string): Promise<void> {
    const now = this.clock.now();
    try {
      await this.collection(generationAt(now, this.retentionDays)).insertOne({ _id: key, appliedAt: now });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  /** Drops the generations no look-up consults any more; answers their names. */
  async prune(): Promise<string[]> {
    const db = this.connection.db;
    if (!db) throw new Error('mongodb is not connected');
    const now = this.clock.now();
    const expired = (await db.listCollections({}, { nameOnly: true }).toArray())
      .map((c) => c.name)
      .filter((name) => {
        const generation = parseGenerationName(this.base, name);
        return generation !== undefined && isExpired(generation, now);
      });
    for (const name of expired) await db.dropCollection(name);
    return expired;
  }
}

/** Redis answers the common case quickly; MongoDB is the record that survives a Redis flush. */
export class LayeredIdempotencyGuard implements IdempotencyGuard {
  constructor(
    private readonly fast: IdempotencyGuard,
    private readonly durable: IdempotencyGuard,
  ) {}

  async isApplied(key: string): Promise<boolean> {
    if (await this.fast.isApplied(key)) return true;
    if (!(await this.durable.isApplied(key))) return false;
    await this.fast.markApplied(key);
    return true;
  }

  async markApplied(key: string): Promise<void> {
    await this.durable.markApplied(key);
    await this.fast.markApplied(key);
  }
}

export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

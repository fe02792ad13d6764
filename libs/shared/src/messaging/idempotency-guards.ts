import type { IdempotencyGuard } from '@meridian/events/kafka';
import type Redis from 'ioredis';
import type { Connection } from 'mongoose';

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

/**
 * Durable record of applied eventIds (a unique `_id` per key). No TTL index: FerretDB v1
 * has none (INFRA.md); old entries are removed by `prune()`, called from a service's
 * housekeeping.
 */
export class MongoIdempotencyGuard implements IdempotencyGuard {
  constructor(
    private readonly connection: Connection,
    private readonly collectionName = 'applied_events',
  ) {}

  private get collection() {
    return this.connection.collection<AppliedEvent>(this.collectionName);
  }

  async isApplied(key: string): Promise<boolean> {
    return (await this.collection.countDocuments({ _id: key }, { limit: 1 })) > 0;
  }

  async markApplied(key: string): Promise<void> {
    try {
      await this.collection.insertOne({ _id: key, appliedAt: new Date() });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  async prune(olderThan: Date): Promise<number> {
    return (await this.collection.deleteMany({ appliedAt: { $lt: olderThan } })).deletedCount;
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

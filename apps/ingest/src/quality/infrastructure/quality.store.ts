import { Inject, Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { REDIS, nativeCollection } from '@meridian/shared';
import type Redis from 'ioredis';
import type { Connection } from 'mongoose';
import { IngestConfig } from '../../config/ingest.config';
import { QualityCounts, emptyCounts, sumCounts, windowBuckets } from '../domain/quality-window';
import { QualityAlertDoc, QualityLedger } from '../application/ports/quality-ledger.port';

const RECORDS = '#records';
const REJECTED = '#rejected';

/**
 * Per-source counts in per-minute Redis hashes (`HINCRBY`), shared by every ingest
 * instance and expiring with the window; alerts kept in MongoDB.
 */
@Injectable()
export class QualityStore implements QualityLedger {
  private readonly prefix: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @InjectConnection() private readonly connection: Connection,
    private readonly config: IngestConfig,
  ) {
    this.prefix = `${config.redisPrefix}dq:`;
  }

  private get alerts() {
    return nativeCollection<QualityAlertDoc>(this.connection, 'quality_alerts');
  }

  private bucketKey(source: string, bucket: number): string {
    return `${this.prefix}${encodeURIComponent(source)}:${bucket}`;
  }

  async add(bySource: ReadonlyMap<string, QualityCounts>, at: Date): Promise<void> {
    if (!bySource.size) return;
    const [bucket] = windowBuckets(at, 1);
    const ttl = (this.config.INGEST_QUALITY_WINDOW_MINUTES + 2) * 60;
    const pipeline = this.redis.pipeline();
    for (const [source, counts] of bySource) {
      const key = this.bucketKey(source, bucket);
      pipeline.hincrby(key, RECORDS, counts.records);
      if (counts.rejected) pipeline.hincrby(key, REJECTED, counts.rejected);
      for (const [failure, n] of counts.failures) pipeline.hincrby(key, failure, n);
      pipeline.expire(key, ttl);
      pipeline.zadd(`${this.prefix}sources`, bucket, source);
    }
    await pipeline.exec();
  }

  /** The window ending at `at`, per source asked (default: every source seen in it). */
  async windows(at: Date, sources?: readonly string[]): Promise<Map<string, QualityCounts>> {
    const buckets = windowBuckets(at, this.config.INGEST_QUALITY_WINDOW_MINUTES);
    const names = sources ?? (await this.redis.zrangebyscore(`${this.prefix}sources`, buckets[buckets.length - 1], '+inf'));
    const pipeline = this.redis.pipeline();
    for (const source of names) for (const b of buckets) pipeline.hgetall(this.bucketKey(source, b));
    const replies = names.length ? ((await pipeline.exec()) ?? []) : [];
    const out = new Map<string, QualityCounts>();
    names.forEach((source, s) => {
      const counts = replies.slice(s * buckets.length, (s + 1) * buckets.length).map(([error, hash]) => {
        if (error) throw error;
        const c = emptyCounts();
        for (const [k, v] of Object.entries(hash as Record<string, string>)) {
          if (k === RECORDS) c.records = Number(v);
          else if (k === REJECTED) c.rejected = Number(v);
          else c.failures.set(k, Number(v));
        }
        return c;
      });
      out.set(source, sumCounts(counts));
    });
    return out;
  }

  /** True once per (source, field, rule) and window: the alert is not repeated for every batch. */
  async claimAlert(source: string, field: string, rule: string): Promise<boolean> {
    const key = `${this.prefix}alerted:${encodeURIComponent(source)}:${field}:${rule}`;
    return (await this.redis.set(key, '1', 'EX', this.config.INGEST_QUALITY_WINDOW_MINUTES * 60, 'NX')) === 'OK';
  }

  async saveAlert(alert: QualityAlertDoc): Promise<void> {
    await this.alerts.insertOne(alert);
  }

  async recentAlerts(limit = 50): Promise<QualityAlertDoc[]> {
    return this.alerts.find({}).sort({ raisedAt: -1 }).limit(limit).toArray();
  }
}

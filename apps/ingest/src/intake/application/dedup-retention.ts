import { Injectable, Logger } from '@nestjs/common';
import { Clock, ScheduledJob } from '@meridian/shared';
import { IngestConfig } from '../../config/ingest.config';
import { EventDedup } from './ports/event-dedup.port';

/**
 * Keeps the durable de-duplication guard to INGEST_DEDUP_RETENTION_DAYS (FerretDB has no
 * TTL indexes). Run by `dedupRetentionJob`, every INGEST_DEDUP_SWEEP_EVERY_MINUTES.
 */
@Injectable()
export class DedupRetention {
  private readonly logger = new Logger(DedupRetention.name);

  constructor(
    private readonly store: EventDedup,
    private readonly config: IngestConfig,
    private readonly clock: Clock,
  ) {}

  async sweep(): Promise<{ events: number; runs: number }> {
    const before = new Date(this.clock.now().getTime() - this.config.INGEST_DEDUP_RETENTION_DAYS * 86_400_000);
    const swept = await this.store.sweep(before);
    if (swept.events || swept.runs) this.logger.log(`de-duplication guard: forgot ${swept.events} eventIds and ${swept.runs} runs older than ${before.toISOString()}`);
    return swept;
  }
}

/** The sweep's schedule: a BullMQ job scheduler, once per occurrence across all instances (a Nest provider). */
export const DEDUP_RETENTION_JOB = Symbol('DEDUP_RETENTION_JOB');

export const dedupRetentionJob = {
  provide: DEDUP_RETENTION_JOB,
  inject: [DedupRetention, IngestConfig],
  useFactory: (retention: DedupRetention, config: IngestConfig): ScheduledJob =>
    new ScheduledJob({
      name: 'ingest-dedup-retention',
      everyMs: config.INGEST_DEDUP_SWEEP_EVERY_MINUTES * 60_000,
      redisUrl: config.REDIS_URL,
      prefix: config.redisPrefix,
      run: () => retention.sweep(),
    }),
};

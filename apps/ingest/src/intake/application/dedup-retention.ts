import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Clock, ScheduledJob } from '@meridian/shared';
import { IngestConfig } from '../../config/ingest.config';
import { EventDedup } from './ports/event-dedup.port';

/**
 * Keeps the durable de-duplication guard to INGEST_DEDUP_RETENTION_DAYS (FerretDB has no
 * TTL indexes): a sweep every INGEST_DEDUP_SWEEP_EVERY_MINUTES, run once per occurrence
 * across all instances (a BullMQ job scheduler).
 */
@Injectable()
export class DedupRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DedupRetention.name);
  private readonly job: ScheduledJob;

  constructor(
    private readonly store: EventDedup,
    private readonly config: IngestConfig,
    private readonly clock: Clock,
  ) {
    this.job = new ScheduledJob({
      name: 'ingest-dedup-retention',
      everyMs: config.INGEST_DEDUP_SWEEP_EVERY_MINUTES * 60_000,
      redisUrl: config.REDIS_URL,
      prefix: config.redisPrefix,
      run: () => this.sweep(),
    });
  }

  async sweep(): Promise<{ events: number; runs: number }> {
    const before = new Date(this.clock.now().getTime() - this.config.INGEST_DEDUP_RETENTION_DAYS * 86_400_000);
    const swept = await this.store.sweep(before);
    if (swept.events || swept.runs) this.logger.log(`de-duplication guard: forgot ${swept.events} eventIds and ${swept.runs} runs older than ${before.toISOString()}`);
    return swept;
  }

  onApplicationBootstrap(): void {
    // Not awaited: with Redis down at start-up the service still comes up (health says so), and
    // the schedule is set up when Redis answers (the job's connection retries without limit).
    void this.job.start().catch((error: Error) => this.logger.warn(`retention sweep not scheduled: ${error.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.job.stop();
  }
}

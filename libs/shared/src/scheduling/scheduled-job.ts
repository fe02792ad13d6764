import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import Redis from 'ioredis';

export interface ScheduledJobOptions {
  /** The job's name: one schedule per name and prefix, whatever the number of instances. */
  name: string;
  /** Every so many ms, or at a cron `pattern` (in time zone `tz`, e.g. a daily sweep at 01:00 Asia/Shanghai). */
  everyMs?: number;
  pattern?: string;
  tz?: string;
  redisUrl: string;
  /** Redis key prefix (a service's, a test's). */
  prefix: string;
  run: () => Promise<unknown>;
  /** false: never scheduled (tests, benches: time moves through the routes there). Default true. */
  enabled?: boolean;
}

/**
 * A recurring job (BullMQ job scheduler): each occurrence runs once across all instances
 * of a service, survives restarts (the schedule lives in Redis), and a failed run is
 * logged and retried at the next occurrence. Start it when the service is up, stop it
 * before the connections close — or register it as a Nest provider, which does both.
 */
export class ScheduledJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger: Logger;
  private connection?: Redis;
  private queue?: Queue;
  private worker?: Worker;

  constructor(private readonly options: ScheduledJobOptions) {
    this.logger = new Logger(`ScheduledJob:${options.name}`);
    if (!options.everyMs === !options.pattern) throw new Error(`ScheduledJob ${options.name}: give everyMs or pattern, not both or neither`);
  }

  async start(): Promise<void> {
    // Workers block on Redis: their connection must retry without limit (BullMQ's requirement).
    this.connection = new Redis(this.options.redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
    const prefix = `${this.options.prefix}bull`;
    this.queue = new Queue(this.options.name, { connection: this.connection, prefix });
    this.worker = new Worker(this.options.name, () => this.options.run(), { connection: this.connection, prefix, concurrency: 1 });
    this.worker.on('failed', (_job, error) => this.logger.warn(`run failed (the next occurrence retries): ${error.message}`));
    this.worker.on('error', (error) => this.logger.warn(`worker: ${error.message}`));
    const { everyMs, pattern, tz } = this.options;
    await this.queue.upsertJobScheduler(this.options.name, pattern ? { pattern, ...(tz && { tz }) } : { every: everyMs }, { name: this.options.name, opts: { removeOnComplete: 100, removeOnFail: 100 } });
  }

  onApplicationBootstrap(): void {
    if (this.options.enabled === false) return;
    // Not awaited: with Redis down at start-up the service still comes up (health says so), and
    // the schedule is set up when Redis answers (the job's connection retries without limit).
    void this.start().catch((error: Error) => this.logger.warn(`not scheduled: ${error.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  async stop(): Promise<void> {
    await this.worker?.close();
    await this.queue?.close();
    this.connection?.disconnect();
  }
}

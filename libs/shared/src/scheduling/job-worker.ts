import { Logger } from '@nestjs/common';
import { DelayedError, Job, Worker } from 'bullmq';
import Redis from 'ioredis';
import { cappedRetryDelay } from './capped-retry-delay';

export interface JobWorkerOptions {
  redisUrl: string;
  /** Redis key prefix of the service's queues (`<prefix>bull`). */
  prefix: string;
  concurrency: number;
  /** A retried job's delay by attempts made; default cappedRetryDelay (1 s, 2 s, 4 s … then every minute). */
  backoff?: (attemptsMade: number) => number;
  /** What the jobs are, for the log: `SLA stage`, `delivery`. */
  what: string;
  /** Times a job may be found stalled (its worker gone mid-job) before BullMQ fails it unrun; BullMQ's default is 1. */
  maxStalledCount?: number;
}

/** Stalls (its instance gone mid-job: a deploy, a crash) a job survives where it must never be failed unrun — BullMQ's default of one would, after two deploys. */
export const STALLS_ALLOWED = 1_000;

/**
 * A BullMQ worker of a service's queue, on a connection of its own that retries without limit
 * (BullMQ's requirement; with Redis away the service still starts): a failed attempt and a
 * worker's trouble are said in the log. `start` when the application is up, `close` before its
 * connections go.
 */
export class JobWorker<T> {
  private readonly logger: Logger;
  private connection?: Redis;
  private worker?: Worker<T>;

  constructor(
    private readonly queue: string,
    private readonly processor: (job: Job<T>, token?: string) => Promise<unknown>,
    private readonly options: JobWorkerOptions,
  ) {
    this.logger = new Logger(`JobWorker:${queue}`);
  }

  start(): void {
    const { what } = this.options;
    const backoff = this.options.backoff ?? cappedRetryDelay;
    this.connection = new Redis(this.options.redisUrl, { maxRetriesPerRequest: null });
    this.worker = new Worker<T>(this.queue, (job, token) => this.processor(job, token), {
      connection: this.connection,
      prefix: `${this.options.prefix}bull`,
      concurrency: this.options.concurrency,
      ...(this.options.maxStalledCount !== undefined && { maxStalledCount: this.options.maxStalledCount }),
      settings: { backoffStrategy: (attemptsMade: number) => backoff(attemptsMade) },
    });
    this.worker.on('failed', (job, error) => this.logger.warn(`${what} ${job?.id ?? '?'} failed (attempt ${job?.attemptsMade ?? '?'}): ${error.message}`));
    this.worker.on('error', (error) => this.logger.warn(`${what} worker: ${error.message}`));
  }

  async close(): Promise<void> {
    await this.worker?.close();
    this.connection?.disconnect();
  }
}

/** From a job's processor: the job waits until `until` under the same id (BullMQ's DelayedError tells the worker). */
export async function delayJob(job: Job, until: number, token?: string): Promise<never> {
  await job.moveToDelayed(until, token);
  throw new DelayedError();
}

import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Clock, cappedRetryDelay } from '@meridian/shared';
import { DelayedError, Job, Worker } from 'bullmq';
import Redis from 'ioredis';
import { ServiceDeskConfig } from '../../config/service-desk.config';
import { ReachSlaStageUseCase, SlaStageJob } from '../application/reach-sla-stage.use-case';

/** A stage job's data as BullMQ keeps it (JSON: the run's instant as ISO text). */
type SlaStageJobData = Omit<SlaStageJob, 'runningSince'> & { runningSince: string };
import { SLA_STAGE_QUEUE } from './sla-stage-queue';

/**
 * Runs the SLA stage jobs of every instance's tickets (BullMQ hands each job to one worker).
 * A job whose stage the stored clock says is not due yet (it paused and resumed meanwhile, or
 * runs on a calendar that closed) waits again until then, under the same id; the jobs live in
 * Redis, so they survive a restart of the service and fire on whichever instance is up.
 */
@Injectable()
export class SlaStageWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('SlaStageWorker');
  private connection?: Redis;
  private worker?: Worker<SlaStageJobData>;

  constructor(
    private readonly config: ServiceDeskConfig,
    private readonly reach: ReachSlaStageUseCase,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    // Workers block on Redis: their connection must retry without limit (BullMQ's requirement); with Redis away the service still starts.
    this.connection = new Redis(this.config.REDIS_URL, { maxRetriesPerRequest: null });
    this.worker = new Worker<SlaStageJobData>(SLA_STAGE_QUEUE, (job, token) => this.run(job, token), {
      connection: this.connection,
      prefix: `${this.config.redisPrefix}bull`,
      concurrency: this.config.SERVICE_DESK_SLA_WORKER_CONCURRENCY,
      settings: { backoffStrategy: (attemptsMade) => cappedRetryDelay(attemptsMade) },
    });
    this.worker.on('failed', (job, error) => this.logger.warn(`SLA stage ${job?.id ?? '?'} failed (attempt ${job?.attemptsMade ?? '?'}): ${error.message}`));
    this.worker.on('error', (error) => this.logger.warn(`SLA worker: ${error.message}`));
  }

  private async run(job: Job<SlaStageJobData>, token?: string): Promise<string> {
    const outcome = await this.reach.execute({ ...job.data, runningSince: new Date(job.data.runningSince) }, () => this.clock.now());
    if (outcome.kind === 'NOT_YET') {
      await job.moveToDelayed(outcome.dueAt.getTime(), token);
      throw new DelayedError();
    }
    return outcome.kind;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    this.connection?.disconnect();
  }
}

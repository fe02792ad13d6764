import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Clock, JobWorker, delayJob } from '@meridian/shared';
import type { Job } from 'bullmq';
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
  private readonly worker: JobWorker<SlaStageJobData>;

  constructor(
    config: ServiceDeskConfig,
    private readonly reach: ReachSlaStageUseCase,
    private readonly clock: Clock,
  ) {
    this.worker = new JobWorker<SlaStageJobData>(SLA_STAGE_QUEUE, (job, token) => this.run(job, token), { redisUrl: config.REDIS_URL, prefix: config.redisPrefix, concurrency: config.SERVICE_DESK_SLA_WORKER_CONCURRENCY, what: 'SLA stage' });
  }

  onApplicationBootstrap(): void {
    this.worker.start();
  }

  private async run(job: Job<SlaStageJobData>, token?: string): Promise<string> {
    const outcome = await this.reach.execute({ ...job.data, runningSince: new Date(job.data.runningSince) }, () => this.clock.now());
    if (outcome.kind === 'NOT_YET') return delayJob(job, outcome.dueAt.getTime(), token);
    return outcome.kind;
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.worker.close();
  }
}

import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ScheduledJob, ScheduledJobOptions } from '../scheduling/scheduled-job';

/** What a schedule drives: a PartitionedSweep, or a use case in front of one. */
export interface ScheduledSweep {
  runScheduled(): Promise<void>;
  resumeUnfinished(stopping: () => boolean): Promise<void>;
}

/**
 * A daily sweep on a BullMQ job scheduler (a cron pattern in a time zone): each occurrence
 * once across instances; at start, a sweep a crash left unfinished resumes. Register a
 * subclass as a Nest provider: it starts and stops with the service.
 */
export class SweepSchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger: Logger;
  private readonly job: ScheduledJob;
  private stopping = false;

  constructor(
    private readonly sweep: ScheduledSweep,
    options: Omit<ScheduledJobOptions, 'run'>,
  ) {
    this.logger = new Logger(`SweepSchedule:${options.name}`);
    this.job = new ScheduledJob({ ...options, run: () => sweep.runScheduled() });
  }

  onApplicationBootstrap(): void {
    this.job.onApplicationBootstrap();
    void this.sweep.resumeUnfinished(() => this.stopping).catch((error: Error) => this.logger.warn(`unfinished sweeps not resumed (the next occurrence does): ${error.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.job.stop();
  }
}

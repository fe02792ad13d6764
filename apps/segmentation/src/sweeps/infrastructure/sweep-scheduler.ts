import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ScheduledJob } from '@meridian/shared';
import { SegmentationConfig } from '../../config/segmentation.config';
import { RunSweepUseCase } from '../application/run-sweep.use-case';

/**
 * The daily sweep on a BullMQ job scheduler (`SEGMENT_SWEEP_CRON` in `SEGMENT_SWEEP_TZ`):
 * each occurrence once across instances. At start, a sweep a crash left unfinished resumes.
 */
@Injectable()
export class SweepScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SweepScheduler');
  private readonly job: ScheduledJob;
  private stopping = false;

  constructor(
    private readonly sweeps: RunSweepUseCase,
    config: SegmentationConfig,
  ) {
    this.job = new ScheduledJob({ name: 'segmentation-daily-sweep', pattern: config.SEGMENT_SWEEP_CRON, tz: config.SEGMENT_SWEEP_TZ, redisUrl: config.REDIS_URL, prefix: config.redisPrefix, run: () => this.sweeps.runScheduled() });
  }

  onApplicationBootstrap(): void {
    this.job.onApplicationBootstrap();
    void this.sweeps.resumeUnfinished(() => this.stopping).catch((error: Error) => this.logger.warn(`unfinished sweeps not resumed (the next sweep does): ${error.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.job.stop();
  }
}

import { Injectable } from '@nestjs/common';
import { SweepSchedule } from '@meridian/shared';
import { SegmentationConfig } from '../../config/segmentation.config';
import { RunSweepUseCase } from '../application/run-sweep.use-case';

/**
 * The daily sweep on a BullMQ job scheduler (`SEGMENT_SWEEP_CRON` in `SEGMENT_SWEEP_TZ`):
 * each occurrence once across instances. At start, a sweep a crash left unfinished resumes.
 */
@Injectable()
export class SweepScheduler extends SweepSchedule {
  constructor(sweeps: RunSweepUseCase, config: SegmentationConfig) {
    super(sweeps, { name: 'segmentation-daily-sweep', pattern: config.SEGMENT_SWEEP_CRON, tz: config.SEGMENT_SWEEP_TZ, redisUrl: config.REDIS_URL, prefix: config.redisPrefix, enabled: config.SCHEDULE_DAILY_JOBS });
  }
}

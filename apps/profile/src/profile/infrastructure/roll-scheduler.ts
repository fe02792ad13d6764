import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ScheduledJob } from '@meridian/shared';
import { ProfileConfig } from '../../config/profile.config';
import { RollProfilesUseCase } from '../application/roll-profiles.use-case';

/**
 * The daily roll on a BullMQ job scheduler (`PROFILE_ROLL_CRON` in `PROFILE_ROLL_TZ`): each
 * occurrence once across instances. At start, a roll a crash left unfinished resumes.
 */
@Injectable()
export class RollScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RollScheduler');
  private readonly job: ScheduledJob;
  private stopping = false;

  constructor(
    private readonly rolls: RollProfilesUseCase,
    config: ProfileConfig,
  ) {
    this.job = new ScheduledJob({ name: 'profile-daily-roll', pattern: config.PROFILE_ROLL_CRON, tz: config.PROFILE_ROLL_TZ, redisUrl: config.REDIS_URL, prefix: config.redisPrefix, run: () => this.rolls.runScheduled() });
  }

  onApplicationBootstrap(): void {
    this.job.onApplicationBootstrap();
    void this.rolls.resumeUnfinished(() => this.stopping).catch((error: Error) => this.logger.warn(`unfinished rolls not resumed (the next roll does): ${error.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.job.stop();
  }
}

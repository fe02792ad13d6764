import { Injectable } from '@nestjs/common';
import { SweepSchedule } from '@meridian/shared';
import { ProfileConfig } from '../../config/profile.config';
import { RollProfilesUseCase } from '../application/roll-profiles.use-case';

/** The daily roll at `PROFILE_ROLL_CRON` in `PROFILE_ROLL_TZ` (00:30 Shanghai: the business day has turned), once across instances. */
@Injectable()
export class RollScheduler extends SweepSchedule {
  constructor(rolls: RollProfilesUseCase, config: ProfileConfig) {
    super(rolls, { name: 'profile-daily-roll', pattern: config.PROFILE_ROLL_CRON, tz: config.PROFILE_ROLL_TZ, redisUrl: config.REDIS_URL, prefix: config.redisPrefix, enabled: config.SCHEDULE_DAILY_JOBS });
  }
}

import { ServiceConfig } from '@meridian/shared';
import { Transform, Type } from 'class-transformer';
import { IsArray, IsBoolean, IsInt, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { ProfileRules } from '../profile/domain/profile-rules';

/**
 * profile's environment (README: configuration): the shared variables, its default port,
 * and the numbers of DOMAIN.md the profile computes with.
 */
export class ProfileConfig extends ServiceConfig {
  override PORT = 3002;

  /** The bank's business day (minutes east of UTC): events are bucketed into its days. */
  @Type(() => Number) @IsInt() @Min(-720) @Max(840)
  PROFILE_BUSINESS_UTC_OFFSET_MINUTES = 480;

  /** Days of daily buckets kept (≥ 120: the 90-day windows and the 30-day AUM change). */
  @Type(() => Number) @IsInt() @Min(120) @Max(800)
  PROFILE_RETENTION_DAYS = 125;

  /** MCC prefixes of education merchants (the PARENT tag). */
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').map((v) => v.trim()).filter(Boolean) : value))
  @IsArray() @IsString({ each: true })
  PROFILE_EDUCATION_MCC_PREFIXES: string[] = ['82'];

  @Type(() => Number) @IsInt() @Min(1)
  PROFILE_CROSS_BORDER_MIN_TRANSACTIONS = 3;

  @Type(() => Number) @IsInt() @Min(1)
  PROFILE_DIGITAL_ACTIVE_MIN_LOGINS = 10;

  @Type(() => Number) @IsInt() @Min(1)
  PROFILE_SENIOR_MIN_AGE = 60;

  /** Redis cache of hot profiles (seconds; sealed documents, never clear PII). */
  @Type(() => Number) @IsInt() @Min(1)
  PROFILE_CACHE_TTL_SECONDS = 300;

  /** Unwrapped data keys kept in memory (each is 32 bytes). */
  @Type(() => Number) @IsInt() @Min(0)
  PROFILE_DATA_KEY_CACHE_SIZE = 10_000;

  /** Most keys a timeline index document holds (ADR 0007): a fuller one is split, so none grows with a customer's volume. */
  @Type(() => Number) @IsInt() @Min(2) @Max(10_000)
  PROFILE_TIMELINE_BUCKET_KEYS = 1_000;

  /** Start the master key re-wrap job by itself when a previous master key still wraps data keys (ADR 0008); else only POST /v1/admin/keys/rewrap starts it. */
  @Transform(({ value }) => (typeof value === 'string' ? ['1', 'true', 'yes', 'on'].includes(value.toLowerCase()) : value))
  @IsBoolean()
  PROFILE_REWRAP_AUTO_START = true;

  /** Data keys the re-wrap job reads, re-wraps and checkpoints at a time. */
  @Type(() => Number) @IsInt() @Min(1) @Max(10_000)
  PROFILE_REWRAP_BATCH_SIZE = 500;

  /** Pause between the re-wrap job's batches (milliseconds): spares the database on a large base. Below SHUTDOWN_TIMEOUT_MS, so a stop is never held up by it. */
  @Type(() => Number) @IsInt() @Min(0) @Max(10_000)
  PROFILE_REWRAP_PAUSE_MS = 0;

  /** How long the instance running the job holds it without renewing (BullMQ lock): after a crash, another instance (or the restarted one) resumes it this much later. */
  @Type(() => Number) @IsInt() @Min(1) @Max(600)
  PROFILE_REWRAP_LOCK_SECONDS = 30;

  /** Wait before a run that failed (MongoDB down) or was stopped by a shutdown is taken up again. */
  @Type(() => Number) @IsInt() @Min(1) @Max(3600)
  PROFILE_REWRAP_RETRY_SECONDS = 30;

  /**
   * The day roll (issue 10, point 5): its schedule (cron, in its time zone), the due index's partitions,
   * customers read per step, how long its lock lasts unrenewed, and how many candidate days a profile's
   * next window change is checked over before the next one is named unverified (earlier, never later).
   */
  @IsString() @Matches(/^\S+( \S+){4,5}$/, { message: 'PROFILE_ROLL_CRON must be a cron pattern of 5 or 6 fields' })
  PROFILE_ROLL_CRON = '30 0 * * *';
  @IsString() @MinLength(1)
  PROFILE_ROLL_TZ = 'Asia/Shanghai';
  @Type(() => Number) @IsInt() @Min(1) @Max(1024)
  PROFILE_ROLL_PARTITIONS = 16;
  @Type(() => Number) @IsInt() @Min(1) @Max(10_000)
  PROFILE_ROLL_BATCH = 500;
  @Type(() => Number) @IsInt() @Min(10) @Max(3600)
  PROFILE_ROLL_LOCK_SECONDS = 120;
  @Type(() => Number) @IsInt() @Min(1) @Max(1_000)
  PROFILE_ROLL_DUE_CHECKS = 32;

  get rules(): ProfileRules {
    return (this.parsedRules ??= {
      businessUtcOffsetMinutes: this.PROFILE_BUSINESS_UTC_OFFSET_MINUTES,
      retentionDays: this.PROFILE_RETENTION_DAYS,
      educationMccPrefixes: this.PROFILE_EDUCATION_MCC_PREFIXES,
      crossBorderMinTransactions: this.PROFILE_CROSS_BORDER_MIN_TRANSACTIONS,
      digitalActiveMinLogins: this.PROFILE_DIGITAL_ACTIVE_MIN_LOGINS,
      youngProfessionalAges: [22, 30],
      seniorMinAge: this.PROFILE_SENIOR_MIN_AGE,
    });
  }
  private parsedRules?: ProfileRules;

  get redisPrefix(): string {
    return `${this.MONGODB_DATABASE ?? 'meridian_profile'}:`;
  }
}

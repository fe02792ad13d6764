import 'reflect-metadata';
import { Transform, Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateBy,
  ValidateIf,
} from 'class-validator';
import { isHttpsOrLoopbackUrl } from './is-https-or-loopback-url.util';

const toBoolean = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? ['1', 'true', 'yes', 'on'].includes(value.toLowerCase()) : value;

/**
 * Variables every Meridian service reads. Each app extends it with its own and its
 * default port (CONTRACTS.md §5). Secrets have no defaults: a service without them does
 * not start.
 */
export class ServiceConfig {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT = 3000;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Comma-separated host:port list. */
  @IsString()
  @Matches(/^[^\s,]+:\d+(,[^\s,]+:\d+)*$/, { message: 'KAFKA_BROKERS must be host:port[,host:port…]' })
  KAFKA_BROKERS!: string;

  /** Prefix of every physical topic name (tests, shared clusters); logical names stay as in CONTRACTS.md. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]{0,100}$/, { message: 'KAFKA_TOPIC_PREFIX may hold letters, digits, . _ -' })
  KAFKA_TOPIC_PREFIX?: string;

  /** Consumer group; defaults to `meridian-<service>`. */
  @IsOptional()
  @IsString()
  KAFKA_GROUP_ID?: string;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(64)
  KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY = 3;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(20)
  KAFKA_MAX_ATTEMPTS = 5;

  @Matches(/^mongodb(\+srv)?:\/\/.+/, { message: 'MONGODB_URI must be a mongodb:// or mongodb+srv:// URI' })
  MONGODB_URI!: string;

  /** Database name; defaults to `meridian_<service>` (each service owns its database). */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,63}$/, { message: 'MONGODB_DATABASE must be 1–63 letters, digits, _ or -' })
  MONGODB_DATABASE?: string;

  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL!: string;

  /** HS256 secret; at least 32 characters. Required unless JWT_JWKS_URL is set. */
  @ValidateIf((c: ServiceConfig) => !c.JWT_JWKS_URL)
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  /** RS256 verification against this JWKS instead of the HS256 secret: an https URL (http only for a loopback identity provider). */
  @IsOptional()
  @ValidateBy(
    { name: 'isHttpsOrLoopbackUrl', validator: { validate: isHttpsOrLoopbackUrl } },
    { message: 'JWT_JWKS_URL must be an https:// URL (http:// only on 127.0.0.0/8, localhost or [::1])' },
  )
  JWT_JWKS_URL?: string;

  /**
   * Expected `iss` and `aud`, required with a JWKS: an identity provider signs tokens for
   * many applications with the same keys, and only these claims say a token was issued
   * by the bank's provider for Meridian.
   */
  @ValidateIf((c: ServiceConfig) => c.JWT_ISSUER !== undefined || c.JWT_JWKS_URL !== undefined)
  @IsString()
  @MinLength(1)
  JWT_ISSUER?: string;

  @ValidateIf((c: ServiceConfig) => c.JWT_AUDIENCE !== undefined || c.JWT_JWKS_URL !== undefined)
  @IsString()
  @MinLength(1)
  JWT_AUDIENCE?: string;

  /** base64 of 32 random bytes: wraps every customer's data key (AES-256-GCM). */
  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'FIELD_ENCRYPTION_MASTER_KEY must be base64 of 32 bytes' })
  FIELD_ENCRYPTION_MASTER_KEY!: string;

  /**
   * Master keys rotated out (ADR 0008): comma-separated base64 keys that still unwrap the data
   * keys they wrapped until the re-wrap job has moved every one under FIELD_ENCRYPTION_MASTER_KEY.
   */
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').map((v) => v.trim()).filter(Boolean) : value))
  @IsArray()
  @Matches(/^[A-Za-z0-9+/]{43}=$/, { each: true, message: 'FIELD_ENCRYPTION_PREVIOUS_MASTER_KEYS must be a comma-separated list of base64 keys of 32 bytes' })
  @ValidateBy(
    { name: 'isNotTheCurrentMasterKey', validator: { validate: (keys: unknown, args) => !Array.isArray(keys) || !keys.includes((args?.object as ServiceConfig).FIELD_ENCRYPTION_MASTER_KEY) } },
    { message: 'FIELD_ENCRYPTION_PREVIOUS_MASTER_KEYS must not hold FIELD_ENCRYPTION_MASTER_KEY itself' },
  )
  FIELD_ENCRYPTION_PREVIOUS_MASTER_KEYS: string[] = [];

  /**
   * How often a running service checks its keys again (ADR 0008): an instance whose master key
   * was rotated out by another instance's start stops (exit 78) instead of wrapping new data keys
   * under the old key; the re-wrap job waits two of these after a rotation began.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3600)
  KEY_RECHECK_SECONDS = 30;

  /** base64 of 32 random bytes: the HMAC-SHA256 key of blind indexes. */
  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'BLIND_INDEX_KEY must be base64 of 32 bytes' })
  BLIND_INDEX_KEY!: string;

  /** Run the daily jobs on their schedule (segmentation's sweep, profile's day roll); off in tests and benches, which move time through `POST /v1/sweeps`. */
  @Transform(toBoolean)
  @IsBoolean()
  SCHEDULE_DAILY_JOBS = true;

  /** Create the service's topics at start-up (off where topics are declared as resources, e.g. k8s). */
  @Transform(toBoolean)
  @IsBoolean()
  KAFKA_CREATE_TOPICS = true;

  /** Milliseconds to drain in-flight work on SIGTERM before giving up. */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  SHUTDOWN_TIMEOUT_MS = 25_000;

  /** How long the durable idempotency guard remembers an applied eventId, at least (at most twice that). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3650)
  IDEMPOTENCY_RETENTION_DAYS = 30;

  /** How often its retention sweep runs (a BullMQ job scheduler: once per occurrence across instances). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  IDEMPOTENCY_SWEEP_EVERY_MINUTES = 1440;
}

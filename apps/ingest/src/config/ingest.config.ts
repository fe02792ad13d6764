import { ParsesWith, ServiceConfig } from '@meridian/shared';
import { Type } from 'class-transformer';
import { IsInt, IsNumber, Max, Min } from 'class-validator';
import { FxTable, parseFxTable } from '../intake/domain/money';

const IsFxTable = () => ParsesWith('isFxTable', parseFxTable, () => 'INGEST_FX_RATES must be a list like USD=7.1034,EUR=7.70 (CNY per unit)');

/**
 * ingest's environment (README: configuration): the shared variables, its default port,
 * and the numbers of DOMAIN.md (identity, data quality) and CONTRACTS.md (request limits)
 * a bank may set for itself.
 */
export class IngestConfig extends ServiceConfig {
  override PORT = 3001;

  /**
   * CNY per unit of each foreign currency, for `amountCnyMinor`/`balanceCnyMinor`. The
   * defaults are reference values for a demo, not market rates: set your treasury's.
   * A record in a currency without a rate is rejected (rule `hasFxRate`).
   */
  @IsFxTable()
  INGEST_FX_RATES = 'USD=7.10,EUR=7.70,GBP=9.00,HKD=0.91,JPY=0.047,SGD=5.30,AUD=4.70,CAD=5.20,CHF=8.10';

  /** How long Redis answers "duplicate" by itself; beyond it the durable record does (seconds). */
  @Type(() => Number) @IsInt() @Min(60)
  INGEST_DEDUP_WINDOW_SECONDS = 7 * 24 * 3600;

  /**
   * How long an eventId taken on by a run that has neither finished nor given up is left to
   * it (seconds): a run with the same eventId meanwhile waits, then answers duplicate or
   * takes over. Longer than a run takes (a 1,000-record batch on a slow database).
   */
  @Type(() => Number) @IsInt() @Min(1) @Max(600)
  INGEST_RUN_LEASE_SECONDS = 30;

  /**
   * How long the durable guard keeps an eventId (days). A replay older than this is taken
   * on again — the consumers' own idempotency (the profile's event log) still absorbs it.
   * FerretDB has no TTL indexes: a scheduled sweep removes what is older.
   */
  @Type(() => Number) @IsInt() @Min(1)
  INGEST_DEDUP_RETENTION_DAYS = 90;

  /** How often the sweep runs (minutes); once per occurrence across all instances. */
  @Type(() => Number) @IsInt() @Min(1) @Max(10_080)
  INGEST_DEDUP_SWEEP_EVERY_MINUTES = 1_440;

  /** Redis cache of identity key → customer (seconds). */
  @Type(() => Number) @IsInt() @Min(60)
  INGEST_IDENTITY_CACHE_TTL_SECONDS = 30 * 24 * 3600;

  /**
   * Identity resolution across instances (ADR 0006): how long another run's unsettled claim
   * of a key, or its merge lease on a customer, is waited for before it is taken as it is
   * (its run crashed or stalled; a run stops changing its claims after half of it). Far
   * longer than resolving a batch takes; a crash costs the runs that meet its claims this wait.
   */
  @Type(() => Number) @IsInt() @Min(2) @Max(300)
  INGEST_IDENTITY_LEASE_SECONDS = 30;

  /** Envelopes per POST /v1/events (CONTRACTS.md §2: at most 1,000). */
  @Type(() => Number) @IsInt() @Min(1) @Max(10_000)
  INGEST_MAX_EVENTS_PER_REQUEST = 1_000;

  /** Largest JSON body accepted (bytes); room for 1,000 envelopes. */
  @Type(() => Number) @IsInt() @Min(1_000) @Max(512 * 1024 * 1024)
  INGEST_MAX_BODY_BYTES = 16 * 1024 * 1024;

  /** Bad rows listed in a CSV import's answer (all are counted). */
  @Type(() => Number) @IsInt() @Min(0) @Max(100_000)
  INGEST_IMPORT_MAX_LISTED_ERRORS = 1_000;

  /** A CSV import is one long request: how long it may take (milliseconds). */
  @Type(() => Number) @IsInt() @Min(10_000)
  INGEST_HTTP_REQUEST_TIMEOUT_MS = 60 * 60 * 1000;

  /** DOMAIN.md data quality: the sliding window (minutes), its minimum record count, and the failure rate that raises an alert. */
  @Type(() => Number) @IsInt() @Min(1) @Max(7 * 24 * 60)
  INGEST_QUALITY_WINDOW_MINUTES = 60;

  @Type(() => Number) @IsInt() @Min(1)
  INGEST_QUALITY_MIN_RECORDS = 200;

  @Type(() => Number) @IsNumber() @Min(0) @Max(1)
  INGEST_QUALITY_THRESHOLD = 0.05;

  /** The parsed FX table. */
  get fxTable(): FxTable {
    return (this.parsedFx ??= parseFxTable(this.INGEST_FX_RATES));
  }
  private parsedFx?: FxTable;

  /** Redis keys of this deployment: the database name, so tests and tenants sharing a Redis never meet. */
  get redisPrefix(): string {
    return `${this.MONGODB_DATABASE ?? 'meridian_ingest'}:`;
  }
}

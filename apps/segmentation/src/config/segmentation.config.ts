import { HoldsTogether, ParsesWith, ServiceConfig } from '@meridian/shared';
import { Transform, Type } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsNumber, IsString, Matches, Max, Min, MinLength, ValidateBy } from 'class-validator';
import { ChurnModel, DEFAULT_CHURN_MODEL, parseChurnWeights } from '../segments/domain/churn-risk';
import { parseClvMargins } from '../segments/domain/customer-lifetime-value';
import { DEFAULT_SEGMENTATION_RULES as D, RFM_MODES, RfmMode, SegmentationRules, ruleProblems } from '../segments/domain/segmentation-rules';
import { DEFAULT_RULE_LIMITS as L, RuleLimits } from '@meridian/events/rules';

const CNY = 100;
const fourNumbers = () =>
  Transform(({ value }) => (typeof value === 'string' ? value.split(',').map((v) => Number(v.trim())) : value));
const IsFourNumbers = () =>
  ValidateBy({
    name: 'isFourNumbers',
    validator: {
      validate: (value: unknown) => Array.isArray(value) && value.length === 4 && value.every((v) => Number.isFinite(v) && v >= 0),
      defaultMessage: (args) => `${args?.property} must be four numbers ≥ 0, comma-separated (for scores 5, 4, 3, 2)`,
    },
  });
const IsChurnWeights = () => ParsesWith('isChurnWeights', parseChurnWeights);
const IsClvMargins = () => ParsesWith('isClvMargins', parseClvMargins);

/** The rules as a whole (thresholds falling, breakpoints ordered…), checked once, named on the first variable. */
const RulesHoldTogether = () => HoldsTogether('segmentationRulesHoldTogether', 'the segmentation rules', (config: SegmentationConfig) => ruleProblems(config.rules));

/**
 * segmentation's environment (README: configuration): the shared variables, its default
 * port, and the numbers of DOMAIN.md (value tiers, RFM, lifecycle stages) a bank sets for itself.
 */
export class SegmentationConfig extends ServiceConfig {
  override PORT = 3003;

  /** The daily sweep: its schedule (cron, in its time zone), the due index's partitions, customers read per step, and how long its lock lasts unrenewed. */
  @IsString() @Matches(/^\S+( \S+){4,5}$/, { message: 'SEGMENT_SWEEP_CRON must be a cron pattern of 5 or 6 fields' })
  SEGMENT_SWEEP_CRON = '0 1 * * *';
  @IsString() @MinLength(1)
  SEGMENT_SWEEP_TZ = 'Asia/Shanghai';
  @Type(() => Number) @IsInt() @Min(1) @Max(1024)
  SEGMENT_SWEEP_PARTITIONS = 16;
  @Type(() => Number) @IsInt() @Min(1) @Max(10_000)
  SEGMENT_SWEEP_BATCH = 200;
  @Type(() => Number) @IsInt() @Min(10) @Max(3600)
  SEGMENT_SWEEP_LOCK_SECONDS = 120;

  /**
   * The data derived from segment_states in Redis (ADR 0009): how often each instance checks its
   * marker is still there (gone: Redis lost it, and it is rebuilt with consumption held), states
   * read per step of a rebuild, how long the rebuild's lease lasts unrenewed, and how long an
   * instance waits before looking again while another instance rebuilds (or a dependency is down).
   */
  @Type(() => Number) @IsInt() @Min(1) @Max(3600)
  SEGMENT_DERIVED_CHECK_SECONDS = 30;
  @Type(() => Number) @IsInt() @Min(1) @Max(10_000)
  SEGMENT_REBUILD_BATCH = 200;
  @Type(() => Number) @IsInt() @Min(10) @Max(3600)
  SEGMENT_REBUILD_LOCK_SECONDS = 120;
  @Type(() => Number) @IsInt() @Min(100) @Max(60_000)
  SEGMENT_REBUILD_WAIT_MS = 1_000;

  /**
   * Customers of a consumed batch evaluated, written and announced together (bounds the memory a
   * batch takes: a first evaluation against 200 segments announces ~90 events; measured with
   * `npm run bench -- segmentation`, 4,000 records: peak RSS 288 MB at 100, 240 MB at 25).
   */
  @Type(() => Number) @IsInt() @Min(1) @Max(1_000)
  SEGMENT_EVALUATION_CHUNK = 25;

  /** How long a customer's state stays in the Redis read-through cache after its last read or write. */
  @Type(() => Number) @IsInt() @Min(1) @Max(7 * 86_400)
  SEGMENT_STATE_CACHE_TTL_SECONDS = 3600;
  /** How long a writer's claim on a customer's next state rev holds (one writer per rev across instances). */
  @Type(() => Number) @IsInt() @Min(2) @Max(10)
  SEGMENT_STATE_CLAIM_SECONDS = 10;
  /** A segment's back-fill (defined, edited or deleted): customers judged per step, and how long its lock lasts unrenewed. */
  @Type(() => Number) @IsInt() @Min(1) @Max(10_000)
  SEGMENT_BACKFILL_BATCH = 200;
  @Type(() => Number) @IsInt() @Min(10) @Max(3600)
  SEGMENT_BACKFILL_LOCK_SECONDS = 120;
  /** Members listed per page when the caller names no limit (at most 500). */
  @Type(() => Number) @IsInt() @Min(1) @Max(500)
  SEGMENT_MEMBERS_PAGE_DEFAULT = 100;

  /** AUM a tier needs at least (CNY). */
  @RulesHoldTogether() @Type(() => Number) @IsInt() @Min(1)
  SEGMENT_TIER_DIAMOND_CNY = D.tierThresholdsMinor.DIAMOND / CNY;
  @Type(() => Number) @IsInt() @Min(1)
  SEGMENT_TIER_GOLD_CNY = D.tierThresholdsMinor.GOLD / CNY;
  @Type(() => Number) @IsInt() @Min(1)
  SEGMENT_TIER_SILVER_CNY = D.tierThresholdsMinor.SILVER / CNY;

  /** Days AUM must stay below the current tier's threshold before a downgrade applies. */
  @Type(() => Number) @IsInt() @Min(0) @Max(365)
  SEGMENT_TIER_DOWNGRADE_GRACE_DAYS = D.downgradeGraceDays;

  /** RFM breakpoints for scores 5, 4, 3, 2: recency (days at most), frequency (count in 90 days at least), monetary (CNY in 90 days at least). */
  @fourNumbers() @IsArray() @IsFourNumbers()
  SEGMENT_RFM_RECENCY_DAYS: number[] = [...D.recencyDays];
  @fourNumbers() @IsArray() @IsFourNumbers()
  SEGMENT_RFM_FREQUENCY_COUNTS: number[] = [...D.frequencyCounts];
  @fourNumbers() @IsArray() @IsFourNumbers()
  SEGMENT_RFM_MONETARY_CNY: number[] = D.monetaryMinor.map((m) => m / CNY);
  /** FIXED: the breakpoints above; QUANTILE: the daily sweep recalibrates them from the customer base, keeping the above while a score dimension has fewer customers than the minimum. */
  @IsIn(RFM_MODES as unknown as string[])
  SEGMENT_RFM_MODE: RfmMode = D.rfmMode;
  @Type(() => Number) @IsInt() @Min(5)
  SEGMENT_RFM_QUANTILE_MIN_CUSTOMERS = D.rfmQuantileMinCustomers;

  /** Lifecycle stages (days): NEW within, AT_RISK and DORMANT after so long without a customer-initiated transaction. */
  @Type(() => Number) @IsInt() @Min(1)
  SEGMENT_NEW_WITHIN_DAYS = D.newWithinDays;
  @Type(() => Number) @IsInt() @Min(1)
  SEGMENT_AT_RISK_AFTER_DAYS = D.atRiskAfterDays;
  @Type(() => Number) @IsInt() @Min(1)
  SEGMENT_DORMANT_AFTER_DAYS = D.dormantAfterDays;
  /** AT_RISK when AUM fell this share from its 90-day peak, or the churn score reached this (0–1). */
  @Type(() => Number) @IsNumber() @Min(0.01) @Max(1)
  SEGMENT_AT_RISK_AUM_DROP = D.atRiskAumDropFromPeak;
  @Type(() => Number) @IsNumber() @Min(0.01) @Max(1)
  SEGMENT_AT_RISK_CHURN_SCORE = D.atRiskChurnScore;

  /** The churn model (DOMAIN.md: churn risk): its intercept, `factor=weight` for any factors a bank refits, and the MEDIUM and HIGH band bounds. */
  @Type(() => Number) @IsNumber() @Min(-20) @Max(20)
  SEGMENT_CHURN_INTERCEPT = DEFAULT_CHURN_MODEL.intercept;
  @IsChurnWeights()
  SEGMENT_CHURN_WEIGHTS = '';
  @Type(() => Number) @IsNumber() @Min(0.01) @Max(0.99)
  SEGMENT_CHURN_MEDIUM_FROM = DEFAULT_CHURN_MODEL.bands.medium;
  @Type(() => Number) @IsNumber() @Min(0.01) @Max(0.99)
  SEGMENT_CHURN_HIGH_FROM = DEFAULT_CHURN_MODEL.bands.high;

  /** Customer lifetime value (DOMAIN.md: CLV): `PRODUCT_TYPE=margin` for the margins a bank sets (shares of the balance a year), the factor that makes the 90 days' fees a year's, the discount rate and the retention clamp. */
  @IsClvMargins()
  SEGMENT_CLV_MARGINS = '';
  @Type(() => Number) @IsNumber() @Min(0)
  SEGMENT_CLV_FEE_ANNUALISATION = D.clv.feeAnnualisation;
  @Type(() => Number) @IsNumber() @Min(0) @Max(1)
  SEGMENT_CLV_DISCOUNT_RATE = D.clv.discountRate;
  @Type(() => Number) @IsNumber() @Min(0) @Max(1)
  SEGMENT_CLV_RETENTION_MIN = D.clv.retentionRange.min;
  @Type(() => Number) @IsNumber() @Min(0) @Max(1)
  SEGMENT_CLV_RETENTION_MAX = D.clv.retentionRange.max;
  /** How big a tag or segment rule may be (ADR 0004): nesting of query objects, JSON bytes, fields and operators, items in one array. */
  @Type(() => Number) @IsInt() @Min(2) @Max(32)
  SEGMENT_RULE_MAX_DEPTH = L.maxDepth;
  @Type(() => Number) @IsInt() @Min(256) @Max(1_048_576)
  SEGMENT_RULE_MAX_BYTES = L.maxBytes;
  @Type(() => Number) @IsInt() @Min(1) @Max(10_000)
  SEGMENT_RULE_MAX_NODES = L.maxNodes;
  @Type(() => Number) @IsInt() @Min(1) @Max(10_000)
  SEGMENT_RULE_MAX_ARRAY_ITEMS = L.maxArrayItems;

  /** Analytics (issue 10): the share of a tier that makes a product one "most of that tier hold" (DOMAIN.md: cross-sell gap). */
  @Type(() => Number) @IsNumber() @Min(0) @Max(0.99)
  SEGMENT_CROSS_SELL_MOST_SHARE = 0.5;
  /** Clusters: the behaviour sample (customers kept, how often it is re-taken), k-means (seed, iterations, the k tried at most when none is asked), points a silhouette reads. */
  @Type(() => Number) @IsInt() @Min(10) @Max(50_000)
  SEGMENT_CLUSTER_SAMPLE_SIZE = 5_000;
  @Type(() => Number) @IsInt() @Min(1) @Max(7 * 86_400)
  SEGMENT_CLUSTER_SAMPLE_REFRESH_SECONDS = 3_600;
  @Type(() => Number) @IsInt() @Min(0)
  SEGMENT_CLUSTER_SEED = 42;
  @Type(() => Number) @IsInt() @Min(1) @Max(1_000)
  SEGMENT_CLUSTER_MAX_ITERATIONS = 100;
  @Type(() => Number) @IsInt() @Min(2) @Max(10)
  SEGMENT_CLUSTER_AUTO_K_MAX = 8;
  @Type(() => Number) @IsInt() @Min(10) @Max(5_000)
  SEGMENT_CLUSTER_SILHOUETTE_POINTS = 2_000;

  get ruleLimits(): RuleLimits {
    return { maxDepth: this.SEGMENT_RULE_MAX_DEPTH, maxBytes: this.SEGMENT_RULE_MAX_BYTES, maxNodes: this.SEGMENT_RULE_MAX_NODES, maxArrayItems: this.SEGMENT_RULE_MAX_ARRAY_ITEMS };
  }

  get churnModel(): ChurnModel {
    return { intercept: this.SEGMENT_CHURN_INTERCEPT, weights: parseChurnWeights(this.SEGMENT_CHURN_WEIGHTS), bands: this.rules.churnBands };
  }

  get rules(): SegmentationRules {
    const four = (xs: number[], unit = 1) => [xs[0] * unit, xs[1] * unit, xs[2] * unit, xs[3] * unit] as [number, number, number, number];
    return {
      tierThresholdsMinor: { DIAMOND: this.SEGMENT_TIER_DIAMOND_CNY * CNY, GOLD: this.SEGMENT_TIER_GOLD_CNY * CNY, SILVER: this.SEGMENT_TIER_SILVER_CNY * CNY },
      downgradeGraceDays: this.SEGMENT_TIER_DOWNGRADE_GRACE_DAYS,
      recencyDays: four(this.SEGMENT_RFM_RECENCY_DAYS),
      frequencyCounts: four(this.SEGMENT_RFM_FREQUENCY_COUNTS),
      monetaryMinor: four(this.SEGMENT_RFM_MONETARY_CNY, CNY),
      newWithinDays: this.SEGMENT_NEW_WITHIN_DAYS,
      dormantAfterDays: this.SEGMENT_DORMANT_AFTER_DAYS,
      atRiskAfterDays: this.SEGMENT_AT_RISK_AFTER_DAYS,
      atRiskAumDropFromPeak: this.SEGMENT_AT_RISK_AUM_DROP,
      atRiskChurnScore: this.SEGMENT_AT_RISK_CHURN_SCORE,
      churnBands: { medium: this.SEGMENT_CHURN_MEDIUM_FROM, high: this.SEGMENT_CHURN_HIGH_FROM },
      rfmMode: this.SEGMENT_RFM_MODE,
      rfmQuantileMinCustomers: this.SEGMENT_RFM_QUANTILE_MIN_CUSTOMERS,
      clv: {
        marginByType: parseClvMargins(this.SEGMENT_CLV_MARGINS),
        feeAnnualisation: this.SEGMENT_CLV_FEE_ANNUALISATION,
        discountRate: this.SEGMENT_CLV_DISCOUNT_RATE,
        retentionRange: { min: this.SEGMENT_CLV_RETENTION_MIN, max: this.SEGMENT_CLV_RETENTION_MAX },
      },
    };
  }

  /** Redis keys of this deployment: the database name, so tests and tenants sharing a Redis never meet. */
  get redisPrefix(): string {
    return `${this.MONGODB_DATABASE ?? 'meridian_segmentation'}:`;
  }
}

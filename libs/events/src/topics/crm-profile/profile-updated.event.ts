import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsObject, IsOptional, IsString, Max, Min, ValidateNested } from 'class-validator';
import { CUSTOMER_TYPES, CustomerType, PRODUCT_TYPES, ProductType, RISK_TOLERANCES, RiskTolerance } from '../../enums';
import { MinorUnits, OptionalEnum, OptionalMinorUnits, OptionalString, RequiredString } from '../../validation/fields';
import { IsMinorUnitsByProductType, IsOffsetDateTime } from '../../validation/rules';
import { Consents } from '../core-customers/customer-upserted.event';

/** The feature snapshot segmentation and campaign decide on; no PII. */
export class ProfileFeatures {
  @MinorUnits(0)
  aumMinor!: number;

  @IsArray() @ArrayMaxSize(100) @IsIn(PRODUCT_TYPES as unknown as string[], { each: true })
  productsHeld!: ProductType[];

  @IsOptional() @IsOffsetDateTime()
  lastActivityAt?: string;

  @IsInt() @Min(0) txnCount30d!: number;
  @IsInt() @Min(0) txnCount90d!: number;
  @MinorUnits(0) txnAmount30dMinor!: number;
  @MinorUnits(0) txnAmount90dMinor!: number;

  /** e.g. "18-25", "26-35"; absent when the birth date is unknown. */
  @OptionalString(16)
  ageBand?: string;

  @IsArray() @ArrayMaxSize(200) @IsString({ each: true })
  tags!: string[];

  @IsOptional() @ValidateNested() @Type(() => Consents)
  consents?: Consents;

  // Added with the profile service (issue 4), all optional: what segmentation (tiers,
  // RFM, lifecycle, churn, tags), campaign and service-desk decide on.

  /** Outstanding on cards and loans, CNY minor units. */
  @OptionalMinorUnits(0) liabilitiesMinor?: number;
  /** Highest end-of-day AUM over the last 90 days (lifecycle: AUM fell 50 % from its peak). */
  @OptionalMinorUnits(0) aumPeak90dMinor?: number;
  /** AUM now minus 30 days before (churn). */
  @OptionalMinorUnits() aumChange30dMinor?: number;
  /** Newest customer-initiated transaction (RFM recency, dormancy); lastActivityAt also counts interactions. */
  @IsOptional() @IsOffsetDateTime() lastTransactionAt?: string;
  @IsOptional() @IsOffsetDateTime() firstProductAt?: string;
  @IsOptional() @IsInt() @Min(0) productsClosed90d?: number;
  /** Customer-initiated transactions in the 60 days before the last 30 (churn trend). */
  @IsOptional() @IsInt() @Min(0) txnCountPrior60d?: number;
  /** Counts and CNY sums by category and by channel, 30 and 90 days: `{ PURCHASE: { n, cnyMinor } }`. */
  @IsOptional() @IsObject() byCategory30d?: Record<string, { n: number; cnyMinor: number }>;
  @IsOptional() @IsObject() byCategory90d?: Record<string, { n: number; cnyMinor: number }>;
  @IsOptional() @IsObject() byChannel30d?: Record<string, { n: number; cnyMinor: number }>;
  @IsOptional() @IsObject() byChannel90d?: Record<string, { n: number; cnyMinor: number }>;
  /** Average monthly inflow over 3 months, CNY minor units (HIGH_POTENTIAL). */
  @OptionalMinorUnits(0) monthlyInflow3mMinor?: number;
  @IsOptional() @IsInt() @Min(0) crossBorder90d?: number;
  @IsOptional() @IsInt() @Min(0) appLogins30d?: number;
  @IsOptional() @IsInt() @Min(0) appLoginsPrior30d?: number;
  @IsOptional() @IsInt() @Min(0) complaints90d?: number;
  @IsOptional() @IsInt() @Min(1) @Max(5) latestCsat?: number;
  @IsOptional() @IsInt() @Min(0) @Max(10) latestNps?: number;
  @IsOptional() @IsInt() @Min(0) @Max(150) age?: number;
  @OptionalEnum(CUSTOMER_TYPES) customerType?: CustomerType;
  @OptionalEnum(RISK_TOLERANCES) riskTolerance?: RiskTolerance;
  @OptionalString(64) branchId?: string;
  @OptionalString(64) rmId?: string;
  /** Balance per product type now, CNY minor units (cross-sell gaps, tier rules by product). Added with issue 8. */
  @IsOptional() @IsMinorUnitsByProductType() balancesByType?: Partial<Record<ProductType, number>>;
  /** FEE transactions of the last 90 days, CNY minor units (value and CLV net of fees). Added with issue 8. */
  @OptionalMinorUnits(0) fees90dMinor?: number;
  /** The newest event time folded: the "now" of every window above. */
  @IsOptional() @IsOffsetDateTime() asOf?: string;
}

/** crm.profile.v1: the profile changed; `version` increases by one per applied change. */
export class ProfileUpdated {
  @RequiredString(64)
  customerId!: string;

  @IsInt() @Min(1)
  version!: number;

  @IsArray() @ArrayMaxSize(200) @IsString({ each: true })
  changedFields!: string[];

  @ValidateNested() @Type(() => ProfileFeatures)
  features!: ProfileFeatures;

  /** ACTIVE, or MERGED into another customer (features then empty), or ERASED (PIPL). Added with issue 4; absent means ACTIVE. */
  @OptionalEnum(['ACTIVE', 'MERGED', 'ERASED']) status?: 'ACTIVE' | 'MERGED' | 'ERASED';
  @OptionalString(64) mergedInto?: string;
}

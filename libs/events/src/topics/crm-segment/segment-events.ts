import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsNumber, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import {
  CHURN_RISK_BANDS,
  ChurnRiskBand,
  LIFECYCLE_STAGES,
  LifecycleStage,
  MEMBERSHIP_CHANGES,
  MembershipChange,
  RFM_SEGMENTS,
  RfmSegment,
  TIERS,
  Tier,
} from '../../enums';
import { OptionalEnum, OptionalMinorUnits, Rate, RequiredEnum, RequiredString } from '../../validation/fields';

abstract class CustomerScoped {
  @RequiredString(64)
  customerId!: string;
}

/** crm.segment.v1: value tier moved (DOMAIN.md: value tiers). `from` is absent on first assignment. */
export class TierChanged extends CustomerScoped {
  @OptionalEnum(TIERS) from?: Tier;
  @RequiredEnum(TIERS) to!: Tier;
  @RequiredString(500) reason!: string;
}

/** crm.segment.v1: lifecycle stage moved (DOMAIN.md: lifecycle stages). */
export class LifecycleStageChanged extends CustomerScoped {
  @OptionalEnum(LIFECYCLE_STAGES) from?: LifecycleStage;
  @RequiredEnum(LIFECYCLE_STAGES) to!: LifecycleStage;
  @RequiredString(500) reason!: string;
}

export class ChurnFactor {
  @RequiredString(64) factor!: string;
  @IsNumber({ allowNaN: false, allowInfinity: false }) contribution!: number;
}

/** crm.segment.v1: churn-risk band changed, with the top contributing factors. */
export class ChurnRiskChanged extends CustomerScoped {
  @Rate()
  score!: number;

  @RequiredEnum(CHURN_RISK_BANDS)
  band!: ChurnRiskBand;

  @IsOptional() @IsIn(CHURN_RISK_BANDS as unknown as string[])
  previousBand?: ChurnRiskBand;

  @IsArray() @ArrayMaxSize(10) @ValidateNested({ each: true }) @Type(() => ChurnFactor)
  topFactors!: ChurnFactor[];
}

/** crm.segment.v1: the customer entered or left a rule-based segment or a catalogue tag. */
export class SegmentMembershipChanged extends CustomerScoped {
  /** A segment definition's id, or `tag:<CODE>` for a tag of the catalogue (CONTRACTS.md §4). */
  @RequiredString(128) segmentId!: string;
  @RequiredEnum(MEMBERSHIP_CHANGES) change!: MembershipChange;
}

/** crm.segment.v1: RFM scores 1–5 and the named RFM segment. */
export class RfmScored extends CustomerScoped {
  @IsInt() @Min(1) @Max(5) r!: number;
  @IsInt() @Min(1) @Max(5) f!: number;
  @IsInt() @Min(1) @Max(5) m!: number;
  @RequiredEnum(RFM_SEGMENTS) rfmSegment!: RfmSegment;
  /** Customer lifetime value, CNY minor units; signed, as a customer can cost more than they bring. Added with issue 8. */
  @OptionalMinorUnits() clvMinor?: number;
}

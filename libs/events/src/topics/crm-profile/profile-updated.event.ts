import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
import { PRODUCT_TYPES, ProductType } from '../../enums';
import { MinorUnits, OptionalString, RequiredString } from '../../validation/fields';
import { IsOffsetDateTime } from '../../validation/rules';
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
}

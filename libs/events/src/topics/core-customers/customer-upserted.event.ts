import { Type } from 'class-transformer';
import { IsBoolean, IsEmail, IsOptional, ValidateNested } from 'class-validator';
import {
  CUSTOMER_TYPES,
  CustomerType,
  GENDERS,
  Gender,
  ID_TYPES,
  IdType,
  RISK_TOLERANCES,
  RiskTolerance,
} from '../../enums';
import { OptionalEnum, OptionalString, RequiredEnum, RequiredString } from '../../validation/fields';
import { IsCalendarDate, IsIdNumberForType, IsPhone, MatchesResidentIdBirthDate } from '../../validation/rules';
import { SourceReferenced } from '../source-reference';

export class MarketingConsents {
  @IsOptional() @IsBoolean() sms?: boolean;
  @IsOptional() @IsBoolean() email?: boolean;
  @IsOptional() @IsBoolean() app_push?: boolean;
  @IsOptional() @IsBoolean() wechat?: boolean;
  @IsOptional() @IsBoolean() phone?: boolean;
}

/** Absent consents mean no marketing consent (CONTRACTS.md §2, PIPL). */
export class Consents {
  @IsOptional()
  @ValidateNested()
  @Type(() => MarketingConsents)
  marketing?: MarketingConsents;

  @IsOptional() @IsBoolean() profiling?: boolean;
}

/** core.customers.v1 and crm.customer.v1: a customer created or changed in a source system. */
export class CustomerUpserted extends SourceReferenced {
  @RequiredEnum(ID_TYPES)
  idType!: IdType;

  @RequiredString(64)
  @IsIdNumberForType()
  idNumber!: string;

  @IsOptional()
  @IsPhone()
  phone?: string;

  @RequiredString(100)
  name!: string;

  @IsOptional()
  @IsEmail({}, { message: 'email must be a valid address' })
  email?: string;

  @IsOptional()
  @IsCalendarDate()
  @MatchesResidentIdBirthDate()
  birthDate?: string;

  @OptionalEnum(GENDERS)
  gender?: Gender;

  @RequiredEnum(CUSTOMER_TYPES)
  customerType!: CustomerType;

  @RequiredString(64)
  branchId!: string;

  @OptionalString(64)
  rmId?: string;

  @OptionalEnum(RISK_TOLERANCES)
  riskTolerance?: RiskTolerance;

  @IsOptional()
  @ValidateNested()
  @Type(() => Consents)
  consents?: Consents;
}

import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Min,
  ValidateNested,
} from 'class-validator';
import { IDENTITY_CONFLICT_REASONS, IDENTITY_KEY_KINDS, IdentityConflictReason, IdentityKeyKind, ROLES, Role } from '../../enums';
import { OptionalEnum, OptionalString, Rate, RequiredEnum, RequiredString } from '../../validation/fields';
import { IsOffsetDateTime } from '../../validation/rules';

export class QualityWindow {
  @IsInt() @Min(0) records!: number;
  @IsInt() @Min(0) failures!: number;
  @IsOffsetDateTime() from!: string;
  @IsOffsetDateTime() to!: string;
}

/** crm.governance.v1: more than the threshold of one source's records failed one rule (DOMAIN.md: data quality). */
export class DataQualityAlert {
  @RequiredString(64) source!: string;
  @RequiredString(128) field!: string;
  @RequiredString(64) rule!: string;
  @Rate() rate!: number;
  @ValidateNested() @Type(() => QualityWindow) window!: QualityWindow;
}

/** One piece of identity evidence. `keyHash` is the blind index, never the clear value. */
export class IdentityEvidence {
  @RequiredEnum(IDENTITY_KEY_KINDS) kind!: IdentityKeyKind;
  @RequiredString(128) keyHash!: string;
  /** Which record carried it (eventId), so the merge can be audited. */
  @OptionalString(128) eventId?: string;
}

/**
 * crm.governance.v1: keys of one record pointed at different customers; idNumber won. With
 * `reason: KEPT_APART` (ADR 0006: sticky unmerge) the evidence would have merged the two but
 * an ADMIN keeps them apart: nothing merged, the record is `customerId`'s (its source
 * reference's), and `movedKey` names the key that points at `conflictingCustomerId` and
 * stayed there; `evidence` lists the record's keys, for review.
 */
export class IdentityConflict {
  @RequiredString(64) customerId!: string;
  @RequiredString(64) conflictingCustomerId!: string;
  @RequiredEnum(IDENTITY_KEY_KINDS) movedKey!: IdentityKeyKind;
  @RequiredString(500) resolution!: string;
  @OptionalEnum(IDENTITY_CONFLICT_REASONS) reason?: IdentityConflictReason;
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => IdentityEvidence)
  evidence?: IdentityEvidence[];
}

/** crm.governance.v1, keyed by the survivor: fold mergedId's state into survivorId. */
export class IdentityMerged {
  @RequiredString(128) mergeId!: string;
  @RequiredString(64) survivorId!: string;
  @RequiredString(64) mergedId!: string;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => IdentityEvidence)
  evidence!: IdentityEvidence[];
}

/** crm.governance.v1, keyed by the survivor: an ADMIN undid a merge; split restoredId back out. */
export class IdentityUnmerged {
  @RequiredString(128) mergeId!: string;
  @RequiredString(64) survivorId!: string;
  @RequiredString(64) restoredId!: string;
  @RequiredString(64) undoneBy!: string;
  @OptionalString(500) reason?: string;
}

/** crm.governance.v1: audit of a read of unmasked PII (who, whom, which fields, why). */
export class PiiAccessed {
  @RequiredString(64) actor!: string;
  @IsArray() @ArrayMaxSize(20) @IsIn(ROLES as unknown as string[], { each: true }) roles!: Role[];
  @RequiredString(64) customerId!: string;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @IsString({ each: true }) fields!: string[];
  @RequiredString(500) purpose!: string;
}

/** crm.governance.v1: the customer's data key was destroyed and the profile tombstoned (PIPL). */
export class CustomerErased {
  @RequiredString(64) customerId!: string;
  @RequiredString(64) erasedBy!: string;
  @OptionalString(500) reason?: string;
}

import { Type } from 'class-transformer';
import { IsBase64, IsIn, IsInt, IsOptional, IsString, MaxLength, Min, ValidateNested } from 'class-validator';
import { OptionalString, RequiredString } from '../../validation/fields';
import { IsOffsetDateTime } from '../../validation/rules';

/** Machine-readable reasons a record could not be applied. */
export const DEAD_LETTER_CODES = [
  'EMPTY_VALUE',
  'INVALID_ENCODING',
  'INVALID_JSON',
  'INVALID_ENVELOPE',
  'UNKNOWN_TYPE',
  'UNSUPPORTED_SCHEMA_VERSION',
  'INVALID_PAYLOAD',
  'HANDLER_FAILED',
  'REJECTED',
] as const;
export type DeadLetterCode = (typeof DEAD_LETTER_CODES)[number];

export class DeadLetterReason {
  @IsIn(DEAD_LETTER_CODES as unknown as string[]) code!: DeadLetterCode;
  @IsString() @MaxLength(4000) message!: string;
  /** Dotted path of the first failing field, e.g. `payload.idNumber`. */
  @OptionalString(256) field?: string;
  /** The class-validator constraint or domain rule that failed, e.g. `isPrcResidentId`. */
  @OptionalString(128) rule?: string;
}

/** crm.deadletter.v1: the original bytes and where they came from, and why they were not applied. */
export class DeadLetter {
  @RequiredString(256) originalTopic!: string;
  @IsInt() @Min(-1) partition!: number;
  /** Kafka offsets are 64-bit: kept as a decimal string. */
  @RequiredString(32) offset!: string;
  @IsOptional() @IsString() @MaxLength(4096) key?: string;
  /** base64 of the original value bytes; empty for a tombstone. */
  @IsString() @IsBase64(undefined, { message: 'rawValue must be base64' }) @IsOptional() rawValue?: string;
  @RequiredString(64) service!: string;
  @ValidateNested() @Type(() => DeadLetterReason) reason!: DeadLetterReason;
  @IsInt() @Min(0) attempts!: number;
  @IsOffsetDateTime() failedAt!: string;
}

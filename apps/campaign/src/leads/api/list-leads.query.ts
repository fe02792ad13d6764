import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { LEAD_STATUSES, LeadStatus } from '../domain/lead';

/** GET /v1/leads: filters and page. */
export class ListLeadsQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64)
  branchId?: string;

  @ApiPropertyOptional({ enum: LEAD_STATUSES, description: 'absent: every open lead (UNASSIGNED, ASSIGNED, CONTACTED)' })
  @IsOptional() @IsIn(LEAD_STATUSES as unknown as string[])
  status?: LeadStatus;

  @ApiPropertyOptional({ minimum: 0, maximum: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(100)
  minScore?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(100)
  maxScore?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'the `next` of the page before' })
  @IsOptional() @Matches(/^\d{1,3}:[A-Za-z0-9._:-]{1,64}$/, { message: 'cursor must be the next of a page before' })
  cursor?: string;
}

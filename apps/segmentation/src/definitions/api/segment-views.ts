import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { BACKFILL_STATES } from '../application/ports/segment-backfills.port';
import { DESCRIPTION_MAX, NAME_MAX } from '../domain/segment-definition-input';

const RULE_EXAMPLE = { $and: [{ tier: { $in: ['GOLD', 'DIAMOND'] } }, { tags: { $all: ['PAYROLL'] } }] };

/** The body of POST and PUT (documentation: the body is checked by segmentDefinitionInput, every problem named). */
export class SegmentDefinitionBody {
  @ApiProperty({ minLength: 1, maxLength: NAME_MAX, example: 'Gold payroll customers' }) name!: string;
  @ApiPropertyOptional({ maxLength: DESCRIPTION_MAX }) description?: string;
  @ApiProperty({ description: 'A Mongo-style query over the facts (ADR 0004: allow-listed operators, fact fields only, bounded in depth and size); problems come back as 400 errors named `rule.<path>`', type: 'object', additionalProperties: true, example: RULE_EXAMPLE })
  rule!: Record<string, unknown>;
}

export class BackfillViewDto {
  @ApiProperty({ description: 'The definition version judged' }) version!: number;
  @ApiProperty({ enum: BACKFILL_STATES }) state!: string;
  @ApiProperty({ description: 'Customers read so far' }) read!: number;
  @ApiProperty({ description: 'Customers who entered the segment so far' }) entered!: number;
  @ApiProperty({ description: 'Customers who left the segment so far' }) exited!: number;
  @ApiProperty() startedAt!: string;
  @ApiPropertyOptional() finishedAt?: string;
}

export class SegmentViewDto extends SegmentDefinitionBody {
  @ApiProperty({ example: 'seg-k3m9p2x7q4ab', description: 'The segmentId of SegmentMembershipChanged' }) id!: string;
  @ApiProperty({ description: 'Starts at 1; each edit (and the delete) adds one' }) version!: number;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
  @ApiPropertyOptional() createdBy?: string;
  @ApiPropertyOptional() updatedBy?: string;
  @ApiPropertyOptional({ description: 'Set by DELETE: the back-fill takes everyone out' }) deletedAt?: string;
  @ApiProperty({ description: 'Members now' }) size!: number;
  @ApiPropertyOptional({ type: BackfillViewDto, description: 'The back-fill of the latest version' }) backfill?: BackfillViewDto;
}

export class MembersQuery {
  @ApiPropertyOptional({ description: 'The cursor: members after this customerId (the `next` of the previous page)' })
  @IsOptional() @IsString() @MaxLength(200)
  after?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 500, description: 'Members per page (default SEGMENT_MEMBERS_PAGE_DEFAULT)' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500)
  limit?: number;
}

export class MembersViewDto {
  @ApiProperty({ example: 'tag:PAYROLL' }) segmentId!: string;
  @ApiProperty({ description: 'Members now' }) size!: number;
  @ApiProperty({ type: [String], description: 'Customer ids, in order' }) members!: string[];
  @ApiPropertyOptional({ description: 'Pass as `after` for the next page; absent on the last' }) next?: string;
}

class Labels {
  @ApiProperty() zh!: string;
  @ApiProperty() en!: string;
}

export class CustomerSegmentDto {
  @ApiProperty({ example: 'seg-k3m9p2x7q4ab' }) id!: string;
  @ApiProperty({ enum: ['SEGMENT', 'TAG'] }) kind!: string;
  @ApiPropertyOptional({ description: 'A defined segment’s name' }) name?: string;
  @ApiPropertyOptional({ description: 'A tag’s code' }) code?: string;
  @ApiPropertyOptional({ type: Labels, description: 'A tag’s labels' }) labels?: Labels;
}

export class CustomerSegmentsDto {
  @ApiProperty() customerId!: string;
  @ApiProperty({ enum: ['ACTIVE', 'MERGED', 'ERASED'] }) status!: string;
  @ApiProperty({ description: 'The instant of the last evaluation' }) asOf!: string;
  @ApiProperty({ type: [CustomerSegmentDto] }) segments!: CustomerSegmentDto[];
}

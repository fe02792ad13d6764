import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

/** GET /v1/customers/{id}/points: a page of the ledger, newest first. */
export class PointsPageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'the `next` of the page before' })
  @IsOptional() @Matches(/^[1-9]\d{0,14}$/, { message: 'cursor must be the next of a page before' })
  cursor?: string;
}

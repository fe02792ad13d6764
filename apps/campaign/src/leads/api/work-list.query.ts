import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

/** GET /v1/rm/{rmId}/tasks: a page. */
export class WorkListQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'the `next` of the page before' })
  @IsOptional() @Matches(/^\d{1,7}$/, { message: 'cursor must be the next of a page before' })
  cursor?: string;
}

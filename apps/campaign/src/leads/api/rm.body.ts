import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { RM_STATUSES, RmStatus } from '../application/ports/rm-roster.port';

/** PUT /v1/rms/{rmId}: an RM on the roster. */
export class RmBody {
  @ApiProperty() @IsString() @Matches(/^[A-Za-z0-9._:-]{1,64}$/, { message: 'branchId must be 1 to 64 letters, digits or ._:-' })
  branchId!: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 10_000, description: 'open leads they hold at most (absent: LEADS_RM_OPEN_LEAD_LIMIT)' })
  @IsOptional() @IsInt() @Min(0) @Max(10_000)
  capacity?: number;

  @ApiPropertyOptional({ description: 'their branch manager: whom their overdue tasks escalate to' })
  @IsOptional() @IsString() @Matches(/^[A-Za-z0-9._:@-]{1,64}$/, { message: 'managerId must be 1 to 64 letters, digits or ._:@-' })
  managerId?: string;

  @ApiProperty({ enum: RM_STATUSES, description: 'ABSENT or LEFT: no new leads, and their open leads move to the branch’s other RMs' })
  @IsIn(RM_STATUSES as unknown as string[])
  status!: RmStatus;
}

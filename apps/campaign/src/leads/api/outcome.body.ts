import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { RM_TASK_OUTCOMES, RmTaskOutcome } from '../domain/rm-task';

/** POST /v1/rm/{rmId}/tasks/{taskId}/outcome. */
export class OutcomeBody {
  @ApiProperty({ enum: RM_TASK_OUTCOMES })
  @IsIn(RM_TASK_OUTCOMES as unknown as string[])
  outcome!: RmTaskOutcome;

  @ApiPropertyOptional({ maxLength: 500 }) @IsOptional() @IsString() @MaxLength(500)
  note?: string;
}

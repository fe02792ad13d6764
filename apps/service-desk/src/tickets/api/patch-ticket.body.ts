import { ApiPropertyOptional } from '@nestjs/swagger';
import { TICKET_QUEUES, TICKET_STATUSES, TicketQueue, TicketStatus } from '@meridian/events';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';

/**
 * PATCH /v1/tickets/{id}: the state the caller wants — a status to reach, an agent (and queue)
 * to hold it. What the ticket already is, is not asked again: the same PATCH twice changes it once.
 */
export class PatchTicketBody {
  @ApiPropertyOptional({ enum: TICKET_STATUSES, description: 'the status to reach in one step (409 lists those the ticket can reach)' })
  @IsOptional() @IsIn(TICKET_STATUSES as unknown as string[])
  status?: TicketStatus;

  @ApiPropertyOptional({ maxLength: 64, description: 'the agent to hold it (a NEW ticket becomes ASSIGNED)' })
  @IsOptional() @IsString() @Length(1, 64) @Matches(/^[A-Za-z0-9._:@-]+$/, { message: 'assigneeId may hold letters, digits and . _ : @ - only' })
  assigneeId?: string;

  @ApiPropertyOptional({ enum: TICKET_QUEUES, description: 'move it to another queue (with its agent)' })
  @IsOptional() @IsIn(TICKET_QUEUES as unknown as string[])
  queue?: TicketQueue;

  @ApiPropertyOptional({ minLength: 1, maxLength: 2000, description: 'with status RESOLVED: what was done' })
  @IsOptional() @IsString() @Length(1, 2000)
  resolution?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 500, description: 'with status IN_PROGRESS from RESOLVED: why it reopens' })
  @IsOptional() @IsString() @Length(1, 500)
  reason?: string;
}

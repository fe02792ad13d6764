import { ApiPropertyOptional } from '@nestjs/swagger';
import { TICKET_PRIORITIES, TICKET_QUEUES, TICKET_STATUSES, TicketPriority, TicketQueue, TicketStatus } from '@meridian/events';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** `a,b` or repeated parameters: a list. */
const list = ({ value }: { value: unknown }) => (value === undefined ? undefined : (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean));

/** GET /v1/tickets: a work list's filters (each a value or a comma-separated list; absent: all) and its page. */
export class ListTicketsQuery {
  @ApiPropertyOptional({ enum: TICKET_QUEUES, isArray: true, description: 'CARDS, or CARDS,LOANS' })
  @IsOptional() @Transform(list) @IsIn(TICKET_QUEUES as unknown as string[], { each: true })
  queue?: TicketQueue[];

  @ApiPropertyOptional({ enum: TICKET_STATUSES, isArray: true })
  @IsOptional() @Transform(list) @IsIn(TICKET_STATUSES as unknown as string[], { each: true })
  status?: TicketStatus[];

  @ApiPropertyOptional({ enum: TICKET_PRIORITIES, isArray: true })
  @IsOptional() @Transform(list) @IsIn(TICKET_PRIORITIES as unknown as string[], { each: true })
  priority?: TicketPriority[];

  @ApiPropertyOptional({ description: 'true: only tickets a target was breached on; false: only the others' })
  @IsOptional() @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean()
  breached?: boolean;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'the `next` of the page before' })
  @IsOptional() @IsString() @MaxLength(400)
  cursor?: string;
}

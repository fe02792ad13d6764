import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { INTERACTION_CHANNELS, InteractionChannel, TICKET_CATEGORIES } from '@meridian/events';
import { IsIn, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { TicketKind } from '../domain/routing-table';

/** POST /v1/tickets: a ticket opened by hand (a teller at the counter, an RM, an agent on the phone). */
export class OpenTicketBody {
  @ApiProperty({ maxLength: 64 }) @IsString() @Length(1, 64)
  customerId!: string;

  @ApiProperty({ enum: TICKET_CATEGORIES, description: 'what the customer got in touch about' }) @IsIn(TICKET_CATEGORIES as unknown as string[])
  kind!: TicketKind;

  @ApiProperty({ enum: INTERACTION_CHANNELS, description: 'how the customer got in touch' }) @IsIn(INTERACTION_CHANNELS as unknown as string[])
  channel!: InteractionChannel;

  @ApiPropertyOptional({ maxLength: 4000, description: 'what the customer said, Chinese or English: read to classify and route, not kept' }) @IsOptional() @IsString() @MaxLength(4000)
  text?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 200 }) @IsOptional() @IsString() @Length(1, 200)
  subject?: string;

  @ApiProperty({ minLength: 8, maxLength: 128, description: 'the client’s key for this request: the same key again answers the ticket it opened (200), not a second one', example: 'desk-7f3a9c21' })
  @IsString() @Length(8, 128) @Matches(/^[A-Za-z0-9._:-]+$/, { message: 'requestId may hold letters, digits and . _ : - only' })
  requestId!: string;
}

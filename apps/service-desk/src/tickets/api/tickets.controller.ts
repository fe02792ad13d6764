import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@meridian/shared';
import { GetTicketUseCase } from '../application/get-ticket.use-case';
import { TicketView, ticketView } from './ticket.views';

/**
 * Who reads a ticket: the service desk's agents (bank-wide, as a call centre works) and
 * administrators. The branch roles (tellers, RMs, managers) come with the scope checks of
 * the agent's context view, which need the customer's branch and RM (issue 11, point 7).
 */
const READERS = ['SERVICE_AGENT', 'ADMIN'] as const;

@ApiTags('tickets')
@ApiBearerAuth()
@Controller('v1/tickets')
export class TicketsController {
  constructor(private readonly getTicket: GetTicketUseCase) {}

  @Get(':ticketId')
  @Roles(...READERS)
  @ApiOperation({ summary: 'A ticket: its category, queue and the routing rule that chose it, priority, status and SLA clocks' })
  @ApiOkResponse({ type: TicketView })
  @ApiNotFoundResponse({ description: 'no such ticket' })
  async get(@Param('ticketId') ticketId: string): Promise<TicketView> {
    return ticketView(await this.getTicket.execute(ticketId));
  }
}

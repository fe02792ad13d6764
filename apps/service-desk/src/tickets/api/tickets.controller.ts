import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@meridian/shared';
import { GetTicketUseCase } from '../application/get-ticket.use-case';
import { TicketView, ticketView } from './ticket.views';

/** Who works tickets, or sees them: agents, the branch (tellers, RMs, managers), and administrators. */
const READERS = ['SERVICE_AGENT', 'TELLER', 'RM', 'BRANCH_MANAGER', 'ADMIN'] as const;

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
  async get(@Param('ticketId') ticketId: string, @CurrentPrincipal() by: Principal): Promise<TicketView> {
    return ticketView(await this.getTicket.execute(ticketId), by);
  }
}

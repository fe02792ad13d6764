import { Body, Controller, Get, Headers, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles, currentCorrelationId } from '@meridian/shared';
import { GetTicketUseCase } from '../application/get-ticket.use-case';
import { ListTicketsUseCase } from '../application/list-tickets.use-case';
import { ListTicketsQuery } from './list-tickets.query';
import { OpenTicketByHandUseCase } from '../application/open-ticket-by-hand.use-case';
import { TransitionTicketUseCase } from '../application/transition-ticket.use-case';
import { PatchTicketBody } from './patch-ticket.body';
import { OpenTicketBody } from './open-ticket.body';
import { TicketListView, TicketView, TicketWithContextView, ticketView, ticketWithContextView } from './ticket.views';

/** Who reads the work lists: the service desk's agents (bank-wide, as a call centre works) and administrators. */
const READERS = ['SERVICE_AGENT', 'ADMIN'] as const;
/**
 * Who reads one ticket with its customer's context: the desk, and the branch roles within the
 * profile's scope (the RM their own customers', the branch manager and tellers their branch's).
 */
const TICKET_READERS = [...READERS, 'RM', 'BRANCH_MANAGER', 'TELLER'] as const;
/** Why the caller reads the ticket, as profile's routes take it: the audit's purpose. */
const PURPOSE = 'x-access-purpose';
/** Who opens one by hand (CONTRACTS.md: service-desk intake): an agent on the phone, a teller at the counter, an RM. */
const OPENERS = ['SERVICE_AGENT', 'TELLER', 'RM'] as const;
/** Who moves a ticket along: the service desk's agents and their supervisors' administrators. */
const HANDLERS = ['SERVICE_AGENT', 'ADMIN'] as const;

@ApiTags('tickets')
@ApiBearerAuth()
@Controller('v1/tickets')
export class TicketsController {
  constructor(
    private readonly getTicket: GetTicketUseCase,
    private readonly openByHand: OpenTicketByHandUseCase,
    private readonly transition: TransitionTicketUseCase,
    private readonly list: ListTicketsUseCase,
  ) {}

  @Get()
  @Roles(...READERS)
  @ApiOperation({ summary: 'A work list: the tickets of the queues, statuses and priorities asked for (breached or not), P1 first, oldest first, a page at a time' })
  @ApiOkResponse({ type: TicketListView })
  async index(@Query() query: ListTicketsQuery): Promise<TicketListView> {
    const page = await this.list.execute({ queues: query.queue ?? [], statuses: query.status ?? [], priorities: query.priority ?? [], ...(query.breached !== undefined && { breached: query.breached }) }, query.limit ?? 50, query.cursor);
    return { tickets: page.tickets.map((t) => ticketView(t)), total: page.total, ...(page.next && { next: page.next }) };
  }

  @Post()
  @Roles(...OPENERS)
  @ApiOperation({ summary: 'Open a ticket by hand: classified from the kind and text, prioritised with the customer’s tier, both SLA clocks running; the same requestId again answers that ticket (200)' })
  @ApiCreatedResponse({ type: TicketView, description: 'opened' })
  @ApiOkResponse({ type: TicketView, description: 'this requestId opened it before' })
  async open(@Body() body: OpenTicketBody, @CurrentPrincipal() by: Principal, @Res({ passthrough: true }) res: { status(code: number): unknown }): Promise<TicketView> {
    const answer = await this.openByHand.execute(body, by, currentCorrelationId());
    res.status(answer.opened ? 201 : 200);
    return ticketView(answer.stored);
  }

  @Get(':ticketId')
  @Roles(...TICKET_READERS)
  @ApiOperation({
    summary: 'A ticket (category, queue and the routing rule that chose it, priority, status, SLA clocks) with its customer’s context: tier, branch, RM, open and recent tickets, recent interactions — masked by role as profile masks',
  })
  @ApiHeader({ name: PURPOSE, required: false, description: 'why the caller reads it: the purpose of the PiiAccessed a FULL view publishes' })
  @ApiOkResponse({ type: TicketWithContextView })
  @ApiNotFoundResponse({ description: 'no such ticket' })
  @ApiForbiddenResponse({ description: 'the ticket’s customer is outside the caller’s scope (another branch’s, another RM’s)' })
  async get(@Param('ticketId') ticketId: string, @CurrentPrincipal() principal: Principal, @Headers(PURPOSE) purpose?: string): Promise<TicketWithContextView> {
    const { stored, context } = await this.getTicket.execute(ticketId, principal, purpose?.trim() || 'not stated');
    return ticketWithContextView(stored, context);
  }

  @Patch(':ticketId')
  @Roles(...HANDLERS)
  @ApiOperation({ summary: 'Move a ticket: the status to reach and/or the agent (and queue) to hold it; each step recorded with who and when, and published' })
  @ApiOkResponse({ type: TicketView })
  @ApiNotFoundResponse({ description: 'no such ticket' })
  @ApiConflictResponse({ description: 'the ticket cannot reach that status from where it is: `currentStatus`, `allowed` (the statuses it can reach) and `refusal`' })
  @ApiServiceUnavailableResponse({ description: 'another request is changing the ticket: try again' })
  async patch(@Param('ticketId') ticketId: string, @Body() body: PatchTicketBody, @CurrentPrincipal() by: Principal): Promise<TicketView> {
    return ticketView(await this.transition.execute(ticketId, body, by, currentCorrelationId()));
  }
}

import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { TICKET_QUEUES, TicketQueue } from '@meridian/events';
import { FieldValidationException, Roles } from '@meridian/shared';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsBoolean, IsIn, IsInt, Max, Min } from 'class-validator';
import { AgentRoster } from '../../agents/application/ports/agent-roster.port';
import { TicketWorkLists } from '../application/ports/ticket-work-lists.port';

/** PUT /v1/agents/{agentId}: an agent of the service desk as the assignment sees them. */
export class AgentBody {
  @ApiProperty({ enum: TICKET_QUEUES, isArray: true, description: 'the queues they serve' })
  @ArrayMinSize(1) @ArrayMaxSize(TICKET_QUEUES.length) @ArrayUnique() @IsIn(TICKET_QUEUES as unknown as string[], { each: true })
  queues!: TicketQueue[];

  @ApiProperty({ minimum: 0, maximum: 200, description: 'open tickets (ASSIGNED, IN_PROGRESS, PENDING_CUSTOMER) they may hold at once' })
  @IsInt() @Min(0) @Max(200)
  capacity!: number;

  @ApiProperty({ description: 'on shift and taking work' })
  @IsBoolean()
  available!: boolean;
}

export class AgentView extends AgentBody {
  @ApiProperty() agentId!: string;
  @ApiProperty({ description: 'open tickets they hold now' }) openTickets!: number;
}

/**
 * The service desk's agents (issue 11, point 5): ADMIN keeps the roster — queues, capacity, on
 * shift or not — and the assignment hands NEW tickets to the least-loaded agent with room.
 */
@ApiTags('agents')
@ApiBearerAuth()
@Controller('v1/agents')
export class AgentsController {
  constructor(
    private readonly roster: AgentRoster,
    private readonly workLists: TicketWorkLists,
  ) {}

  @Get()
  @Roles('SERVICE_AGENT', 'ADMIN')
  @ApiOperation({ summary: 'The agents: their queues, capacity, availability and the open tickets each holds' })
  @ApiOkResponse({ type: [AgentView] })
  async all(): Promise<AgentView[]> {
    const [agents, loads] = await Promise.all([this.roster.all(), this.workLists.agentLoads()]);
    return agents.map((a) => ({ ...a, openTickets: loads.get(a.agentId) ?? 0 }));
  }

  @Put(':agentId')
  @Roles('ADMIN')
  @ApiOperation({ summary: 'Add or change an agent: the queues they serve, their capacity, whether they take work now' })
  @ApiOkResponse({ type: AgentView })
  async put(@Param('agentId') agentId: string, @Body() body: AgentBody): Promise<AgentView> {
    const agent = { agentId: checkedAgentId(agentId), queues: body.queues, capacity: body.capacity, available: body.available };
    await this.roster.put(agent);
    return { ...agent, openTickets: (await this.workLists.agentLoads()).get(agent.agentId) ?? 0 };
  }
}

function checkedAgentId(agentId: string): string {
  if (/^[A-Za-z0-9._:@-]{1,64}$/.test(agentId)) return agentId;
  throw new FieldValidationException([{ field: 'agentId', rule: 'matches', message: 'agentId may hold 1 to 64 letters, digits and . _ : @ - only' }]);
}

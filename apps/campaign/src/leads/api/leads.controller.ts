import { BadRequestException, Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles, hasAnyRole } from '@meridian/shared';
import { LeadPage, ListLeadsUseCase } from '../application/list-leads.use-case';
import { RmRoster, RosterRm } from '../application/ports/rm-roster.port';
import { RmChange, SetRmUseCase } from '../application/set-rm.use-case';
import { ListLeadsQuery } from './list-leads.query';
import { RmBody } from './rm.body';

const RM_ID = /^[A-Za-z0-9._:@-]{1,64}$/;

@ApiTags('leads')
@ApiBearerAuth()
@Controller('v1')
export class LeadsController {
  constructor(
    private readonly list: ListLeadsUseCase,
    private readonly setRm: SetRmUseCase,
    private readonly roster: RmRoster,
  ) {}

  @Get('leads')
  @Roles('RM', 'BRANCH_MANAGER', 'MARKETING', 'ADMIN')
  @ApiOperation({ summary: 'Leads highest score first with the factors of each score; filters branch, status (absent: open), score band; an RM sees the leads they hold, a branch manager their branch’s' })
  leads(@Query() query: ListLeadsQuery, @CurrentPrincipal() caller: Principal): Promise<LeadPage> {
    if (query.minScore !== undefined && query.maxScore !== undefined && query.minScore > query.maxScore) throw new BadRequestException({ message: 'minScore is above maxScore', errors: [{ field: 'minScore', rule: 'isBandOrdered', message: 'minScore must not be above maxScore' }] });
    return this.list.execute({ ...query, limit: query.limit ?? 50 }, caller);
  }

  @Get('rms')
  @Roles('BRANCH_MANAGER', 'ADMIN')
  @ApiOperation({ summary: 'The RM roster with each RM’s open leads (a branch manager: their branch’s)' })
  rms(@Query('branchId') branchId: string | undefined, @CurrentPrincipal() caller: Principal): Promise<Array<RosterRm & { openLeads: number }>> {
    return this.roster.list(hasAnyRole(caller, ['ADMIN']) ? branchId : caller.branchId);
  }

  @Put('rms/:rmId')
  @Roles('ADMIN')
  @ApiOperation({ summary: 'Put an RM on the roster (branch, open-lead limit, ACTIVE / ABSENT / LEFT); an RM no longer ACTIVE has their open leads re-assigned' })
  put(@Param('rmId') rmId: string, @Body() body: RmBody): Promise<RmChange> {
    if (!RM_ID.test(rmId)) throw new BadRequestException({ message: 'rmId is not an RM id', errors: [{ field: 'rmId', rule: 'matches', message: 'rmId must be 1 to 64 letters, digits or ._:@-' }] });
    return this.setRm.execute({ rmId, branchId: body.branchId, status: body.status, ...(body.capacity !== undefined && { capacity: body.capacity }), ...(body.managerId !== undefined && { managerId: body.managerId }) });
  }
}

import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@meridian/shared';
import { EscalateTasksUseCase, EscalationRun } from '../application/escalate-tasks.use-case';
import { RecordOutcomeUseCase } from '../application/record-outcome.use-case';
import { RmWorkListUseCase, WorkListPage } from '../application/rm-work-list.use-case';
import type { RmTask } from '../domain/rm-task';
import { AsOfBody } from './as-of.body';
import { OutcomeBody } from './outcome.body';
import { WorkListQuery } from './work-list.query';

@ApiTags('RM work lists')
@ApiBearerAuth()
@Controller('v1')
export class RmTasksController {
  constructor(
    private readonly workList: RmWorkListUseCase,
    private readonly outcomes: RecordOutcomeUseCase,
    private readonly escalations: EscalateTasksUseCase,
  ) {}

  @Get('rm/:rmId/tasks')
  @Roles('RM', 'BRANCH_MANAGER', 'ADMIN')
  @ApiOperation({ summary: 'The RM’s open tasks, first due first, then the higher score (the RM themselves, their branch manager)' })
  tasks(@Param('rmId') rmId: string, @Query() query: WorkListQuery, @CurrentPrincipal() caller: Principal): Promise<WorkListPage> {
    return this.workList.execute(rmId, caller, { limit: query.limit ?? 50, offset: Number(query.cursor ?? 0) });
  }

  @Post('rm/:rmId/tasks/:taskId/outcome')
  @HttpCode(HttpStatus.OK)
  @Roles('RM', 'BRANCH_MANAGER', 'ADMIN')
  @ApiOperation({ summary: 'How the call went (CONTACTED, NOT_REACHABLE, CONVERTED, DECLINED): fed back into the task, its lead and its campaign; 409 for a task no longer open' })
  outcome(@Param('rmId') rmId: string, @Param('taskId') taskId: string, @Body() body: OutcomeBody, @CurrentPrincipal() caller: Principal): Promise<RmTask> {
    return this.outcomes.execute(rmId, taskId, body, caller);
  }

  @Post('rm-tasks/escalations')
  @HttpCode(HttpStatus.OK)
  @Roles('ADMIN', 'SYSTEM')
  @ApiOperation({ summary: 'Escalate every task overdue by `asOf` to its RM’s branch manager (what the job does every LEADS_ESCALATE_EVERY_SECONDS)' })
  escalate(@Body() body: AsOfBody): Promise<EscalationRun> {
    return this.escalations.execute(new Date(body.asOf));
  }
}

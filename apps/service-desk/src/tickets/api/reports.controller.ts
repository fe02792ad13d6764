import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@meridian/shared';
import { AgentPerformance, ServiceReportsUseCase, SlaReport } from '../application/service-reports.use-case';

/** Aggregates only (DOMAIN.md: EXECUTIVE sees aggregates): the desk's supervisors, managers, executives and administrators. */
const REPORT_READERS = ['SERVICE_AGENT', 'BRANCH_MANAGER', 'EXECUTIVE', 'ADMIN'] as const;

@ApiTags('reports')
@ApiBearerAuth()
@Controller('v1')
export class ReportsController {
  constructor(private readonly reports: ServiceReportsUseCase) {}

  @Get('sla')
  @Roles(...REPORT_READERS)
  @ApiOperation({ summary: 'SLA attainment by queue and priority (first response, resolution), average handling time, reopens and CSAT; tickets by category; the top complaint topics' })
  @ApiOkResponse({ description: 'counts and shares only, never a customer' })
  sla(): Promise<SlaReport> {
    return this.reports.sla();
  }

  @Get('agents/performance')
  @Roles(...REPORT_READERS)
  @ApiOperation({ summary: 'Per agent: tickets resolved, average handling time, first-contact resolution rate, CSAT and NPS' })
  @ApiOkResponse({ description: 'one line per agent who resolved or was rated' })
  agents(): Promise<AgentPerformance[]> {
    return this.reports.agents();
  }
}

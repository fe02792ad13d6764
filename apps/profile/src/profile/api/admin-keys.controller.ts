import { Controller, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@meridian/shared';
import { RewrapRuns } from '../application/ports/rewrap-records.port';
import { ReportRewrapUseCase, RewrapStatus } from '../application/report-rewrap.use-case';

/** Master key rotation (ADR 0008): configuration, so ADMIN only (DOMAIN.md: roles). */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('v1/admin/keys')
export class AdminKeysController {
  constructor(
    private readonly report: ReportRewrapUseCase,
    private readonly runs: RewrapRuns,
  ) {}

  @Get('rewrap')
  @Roles('ADMIN')
  @ApiOperation({ summary: 'Master key rotation: the current and previous key ids, which previous keys are still needed, and the re-wrap run’s progress per key id' })
  status(): Promise<RewrapStatus> {
    return this.report.execute();
  }

  @Post('rewrap')
  @HttpCode(HttpStatus.ACCEPTED)
  @Roles('ADMIN')
  @ApiOperation({ summary: 'Start a re-wrap run (every data key under the current master key), unless one is queued or running: once across instances' })
  start(): Promise<{ runId: string; started: boolean }> {
    return this.runs.request();
  }
}

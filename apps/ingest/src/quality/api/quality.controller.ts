import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Clock, Roles } from '@meridian/shared';
import { QualityMonitor, QualityReport } from '../application/quality-monitor';

@ApiTags('data quality')
@ApiBearerAuth()
@Controller('v1/quality')
export class QualityController {
  constructor(
    private readonly monitor: QualityMonitor,
    private readonly clock: Clock,
  ) {}

  /** DOMAIN.md data quality: rejection and rule failure rates per source and field over the window, and the alerts raised. */
  @Get()
  @Roles('ADMIN', 'AUDITOR', 'EXECUTIVE', 'SYSTEM')
  @ApiOperation({ summary: 'Data-quality report per source and field' })
  report(): Promise<QualityReport> {
    return this.monitor.report(this.clock.now());
  }
}

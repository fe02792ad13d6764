import { Body, Controller, Get, HttpCode, HttpStatus, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles, SweepRequest } from '@meridian/shared';
import { SweepDoc } from '../application/ports/sweep-records.port';
import { RunSweepUseCase } from '../application/run-sweep.use-case';

/** The daily sweep, on demand (operations): ADMIN and SYSTEM start it; they and AUDITOR follow it. */
@ApiTags('sweeps')
@ApiBearerAuth()
@Controller('v1/sweeps')
export class SweepsController {
  constructor(private readonly sweeps: RunSweepUseCase) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @Roles('ADMIN', 'SYSTEM')
  @ApiOperation({ summary: 'Sweep as of an instant: every customer whose clock ran out by then moves (dormancy, AT_RISK by inactivity, downgrades after the grace); 409 while another sweep runs; the same instant again resumes or does nothing' })
  start(@Body() body: SweepRequest): Promise<SweepDoc> {
    return this.sweeps.start(body.asOf);
  }

  @Get(':sweepId')
  @Roles('ADMIN', 'SYSTEM', 'AUDITOR')
  @ApiOperation({ summary: 'A sweep’s progress: partitions done, customers read from the due index and moved, events published' })
  async progress(@Param('sweepId') sweepId: string): Promise<SweepDoc> {
    const sweep = await this.sweeps.progress(sweepId);
    if (!sweep) throw new NotFoundException({ title: 'no such sweep', detail: `no sweep ${sweepId}` });
    return sweep;
  }
}

import { Body, Controller, Get, HttpCode, HttpStatus, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles, SweepRequest } from '@meridian/shared';
import { RollDoc } from '../application/ports/roll-records.port';
import { RollProfilesUseCase } from '../application/roll-profiles.use-case';

/** The profile's day roll, on demand (operations): ADMIN and SYSTEM start it; they and AUDITOR follow it. */
@ApiTags('sweeps')
@ApiBearerAuth()
@Controller('v1/sweeps')
export class SweepsController {
  constructor(private readonly rolls: RollProfilesUseCase) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @Roles('ADMIN', 'SYSTEM')
  @ApiOperation({ summary: 'Roll the profiles to an instant: every customer whose 30/60/90-day figures, payroll months or age change by then is re-announced (ProfileUpdated); 409 while another roll runs; the same instant again resumes or does nothing' })
  start(@Body() body: SweepRequest): Promise<RollDoc> {
    return this.rolls.start(body.asOf);
  }

  @Get(':sweepId')
  @Roles('ADMIN', 'SYSTEM', 'AUDITOR')
  @ApiOperation({ summary: 'A roll’s progress: partitions done, customers read from the due index, profiles changed, ProfileUpdated published' })
  async progress(@Param('sweepId') sweepId: string): Promise<RollDoc> {
    const roll = await this.rolls.progress(sweepId);
    if (!roll) throw new NotFoundException({ title: 'no such sweep', detail: `no day roll ${sweepId}` });
    return roll;
  }
}

import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@meridian/shared';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { LiftSeparationUseCase, SeparationLifted } from '../application/lift-separation.use-case';
import { UnmergeIdentityUseCase, UnmergeResult } from '../application/unmerge-identity.use-case';

export class UnmergeRequest {
  /** Needed when the path names the survivor rather than the merged customer. */
  @IsOptional()
  @IsString()
  @Matches(/^M[0-9A-F]{24}$/, { message: 'mergeId must be a merge id (M + 24 hex digits)' })
  mergeId?: string;

  @IsOptional()
  @IsString()
  @Length(1, 500)
  reason?: string;
}

export class LiftSeparationRequest {
  /** Why the ADMIN lets the pair merge again: kept on the record (the audit). */
  @IsString()
  @Length(1, 500)
  reason!: string;
}

@ApiTags('identity')
@ApiBearerAuth()
@Controller('v1/identities')
export class IdentitiesController {
  constructor(
    private readonly unmerge: UnmergeIdentityUseCase,
    private readonly liftSeparation: LiftSeparationUseCase,
  ) {}

  @Post(':customerId/unmerge')
  @HttpCode(HttpStatus.OK)
  @Roles('ADMIN')
  @ApiOperation({ summary: 'Undo a wrong merge (ADMIN): keys go back, IdentityUnmerged is published' })
  undo(@Param('customerId') customerId: string, @Body() body: UnmergeRequest, @CurrentPrincipal() admin: Principal): Promise<UnmergeResult> {
    return this.unmerge.execute(customerId, body, admin);
  }

  @Post(':customerId/separations/:otherCustomerId/lift')
  @HttpCode(HttpStatus.OK)
  @Roles('ADMIN')
  @ApiOperation({ summary: 'Let two customers kept apart by an undone merge merge again (ADMIN, audited): the next record with the evidence merges them' })
  lift(
    @Param('customerId') customerId: string,
    @Param('otherCustomerId') otherCustomerId: string,
    @Body() body: LiftSeparationRequest,
    @CurrentPrincipal() admin: Principal,
  ): Promise<SeparationLifted> {
    return this.liftSeparation.execute(customerId, otherCustomerId, body, admin);
  }
}

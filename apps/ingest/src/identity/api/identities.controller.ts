import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@meridian/shared';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
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

@ApiTags('identity')
@ApiBearerAuth()
@Controller('v1/identities')
export class IdentitiesController {
  constructor(private readonly unmerge: UnmergeIdentityUseCase) {}

  @Post(':customerId/unmerge')
  @HttpCode(HttpStatus.OK)
  @Roles('ADMIN')
  @ApiOperation({ summary: 'Undo a wrong merge (ADMIN): keys go back, IdentityUnmerged is published' })
  undo(@Param('customerId') customerId: string, @Body() body: UnmergeRequest, @CurrentPrincipal() admin: Principal): Promise<UnmergeResult> {
    return this.unmerge.execute(customerId, body, admin);
  }
}

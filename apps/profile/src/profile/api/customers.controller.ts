import { BadRequestException, Body, Controller, Get, Headers, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsPhone } from '@meridian/events';
import { CurrentPrincipal, Principal, Roles } from '@meridian/shared';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { CustomerViews } from '../application/customer-views';

export class LookupQuery {
  @IsOptional() @IsString() @Length(1, 64) idNumber?: string;
  @IsOptional() @IsPhone() phone?: string;
}

export class TimelineQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
  @IsOptional() @IsString() @Matches(/^[A-Za-z0-9_-]{1,512}$/, { message: 'cursor must be a cursor returned by a previous page' }) cursor?: string;
}

export class ErasureRequest {
  @IsOptional() @IsString() @Length(1, 500) reason?: string;
}

/** Single-customer routes: EXECUTIVE and MARKETING see aggregates only (DOMAIN.md), not these. */
const VIEWERS = ['TELLER', 'SERVICE_AGENT', 'RM', 'BRANCH_MANAGER'] as const;
const PURPOSE = 'x-access-purpose';
const purposeOf = (header?: string) => header?.trim() || 'not stated';

@ApiTags('customers')
@ApiBearerAuth()
@ApiHeader({ name: PURPOSE, required: false, description: 'Why unmasked PII is read (recorded in PiiAccessed)' })
@Controller('v1/customers')
export class CustomersController {
  constructor(private readonly views: CustomerViews) {}

  @Get()
  @Roles(...VIEWERS)
  @ApiOperation({ summary: 'Find a customer by national ID or phone (through the blind index)' })
  lookup(@Query() query: LookupQuery, @CurrentPrincipal() principal: Principal, @Headers(PURPOSE) purpose?: string) {
    if (!!query.idNumber === !!query.phone) throw new BadRequestException('give exactly one of idNumber or phone');
    return this.views.lookup(query, principal, purposeOf(purpose));
  }

  @Get(':customerId')
  @Roles(...VIEWERS)
  @ApiOperation({ summary: '360° view, masked by role (RM: own customers; BRANCH_MANAGER: own branch; TELLER/SERVICE_AGENT: own branch, masked, no balances)' })
  view(@Param('customerId') customerId: string, @CurrentPrincipal() principal: Principal, @Headers(PURPOSE) purpose?: string) {
    return this.views.view(customerId, principal, purposeOf(purpose));
  }

  @Get(':customerId/timeline')
  @Roles(...VIEWERS)
  @ApiOperation({ summary: 'Recent events, tickets and interactions, newest first (paged by cursor)' })
  timeline(@Param('customerId') customerId: string, @Query() query: TimelineQuery, @CurrentPrincipal() principal: Principal, @Headers(PURPOSE) purpose?: string) {
    return this.views.timeline(customerId, principal, query.limit ?? 50, query.cursor, purposeOf(purpose));
  }

  @Get(':customerId/export')
  @Roles('ADMIN')
  @ApiOperation({ summary: 'Everything held about the customer (PIPL access request)' })
  export(@Param('customerId') customerId: string, @CurrentPrincipal() principal: Principal) {
    return this.views.export(customerId, principal);
  }

  @Post(':customerId/erasure')
  @HttpCode(HttpStatus.OK)
  @Roles('ADMIN')
  @ApiOperation({ summary: 'Erase the customer (PIPL): destroy the data key, tombstone the profile, publish CustomerErased' })
  erase(@Param('customerId') customerId: string, @Body() body: ErasureRequest, @CurrentPrincipal() principal: Principal) {
    return this.views.erase(customerId, principal, body.reason);
  }
}

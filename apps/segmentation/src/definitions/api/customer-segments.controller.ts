import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@meridian/shared';
import { CustomerSegmentsView, SegmentDefinitionsUseCase } from '../application/segment-definitions.use-case';
import { CustomerSegmentsDto } from './segment-views';

/** A customer's segments: for those who serve or market to them (SERVICE_AGENT at the desk too). */
@ApiTags('segments')
@ApiBearerAuth()
@Controller('v1/customers')
export class CustomerSegmentsController {
  constructor(private readonly segments: SegmentDefinitionsUseCase) {}

  @Get(':customerId/segments')
  @Roles('MARKETING', 'RM', 'BRANCH_MANAGER', 'SERVICE_AGENT', 'ADMIN')
  @ApiOperation({ summary: 'The segments (with names) and tags (with labels) a customer holds now, and when they were last evaluated; 404 before their first evaluation' })
  @ApiOkResponse({ type: CustomerSegmentsDto })
  ofCustomer(@Param('customerId') customerId: string): Promise<CustomerSegmentsView> {
    return this.segments.ofCustomer(customerId);
  }
}

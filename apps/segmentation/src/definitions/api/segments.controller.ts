import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Put, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@meridian/shared';
import { BackfillView, MembersView, SegmentDefinitionsUseCase, SegmentView } from '../application/segment-definitions.use-case';
import { BackfillViewDto, MembersQuery, MembersViewDto, SegmentDefinitionBody, SegmentViewDto } from './segment-views';

/** Who writes definitions (DOMAIN.md: marketing defines segments, ADMIN configures). */
const WRITERS = ['MARKETING', 'ADMIN'] as const;
/** Definitions are rules, not customer data: everyone who works with segments reads them (EXECUTIVE sees sizes, AUDITOR checks). */
const READERS = [...WRITERS, 'RM', 'BRANCH_MANAGER', 'EXECUTIVE', 'AUDITOR'] as const;
/** Members are customer ids (pseudonymous, no PII) for those who act on them; EXECUTIVE sees aggregates only (the size). */
const MEMBER_READERS = ['MARKETING', 'RM', 'BRANCH_MANAGER', 'ADMIN'] as const;

@ApiTags('segments')
@ApiBearerAuth()
@Controller('v1/segments')
export class SegmentsController {
  constructor(private readonly segments: SegmentDefinitionsUseCase) {}

  @Post()
  @Roles(...WRITERS)
  @ApiOperation({ summary: 'Define a segment { name, description?, rule }: 400 names each problem of the rule (`rule.<path>`); its back-fill judges every customer already evaluated' })
  @ApiBody({ type: SegmentDefinitionBody })
  @ApiCreatedResponse({ type: SegmentViewDto })
  create(@Body() body: unknown, @CurrentPrincipal() by: Principal): Promise<SegmentView> {
    return this.segments.create(body, by);
  }

  @Get()
  @Roles(...READERS)
  @ApiOperation({ summary: 'The segments defined, each with its size and back-fill' })
  @ApiOkResponse({ type: [SegmentViewDto] })
  list(): Promise<SegmentView[]> {
    return this.segments.list();
  }

  @Get(':segmentId')
  @Roles(...READERS)
  @ApiOperation({ summary: 'A segment: its definition and version, its size, and the back-fill of its latest version (state, read, entered, exited)' })
  @ApiOkResponse({ type: SegmentViewDto })
  get(@Param('segmentId') segmentId: string): Promise<SegmentView> {
    return this.segments.get(segmentId);
  }

  @Put(':segmentId')
  @Roles(...WRITERS)
  @ApiOperation({ summary: 'Edit a segment (the version goes up): its back-fill moves members in and out by the new rule; 409 when another edit came first' })
  @ApiBody({ type: SegmentDefinitionBody })
  @ApiOkResponse({ type: SegmentViewDto })
  update(@Param('segmentId') segmentId: string, @Body() body: unknown, @CurrentPrincipal() by: Principal): Promise<SegmentView> {
    return this.segments.update(segmentId, body, by);
  }

  @Delete(':segmentId')
  @HttpCode(HttpStatus.ACCEPTED)
  @Roles(...WRITERS)
  @ApiOperation({ summary: 'Delete a segment: it leaves the rule book at once and its back-fill takes every member out (GET …/backfill shows it)' })
  @ApiAcceptedResponse({ type: SegmentViewDto })
  remove(@Param('segmentId') segmentId: string, @CurrentPrincipal() by: Principal): Promise<SegmentView> {
    return this.segments.remove(segmentId, by);
  }

  @Get(':segmentId/backfill')
  @Roles(...READERS)
  @ApiOperation({ summary: 'The back-fill of a segment’s latest version, a deleted segment’s included' })
  @ApiOkResponse({ type: BackfillViewDto })
  backfill(@Param('segmentId') segmentId: string): Promise<BackfillView> {
    return this.segments.backfill(segmentId);
  }

  @Get(':segmentId/members')
  @Roles(...MEMBER_READERS)
  @ApiOperation({ summary: 'Members of a segment or a tag (`tag:<CODE>`), in customerId order, paged by key (`after` = the previous page’s `next`), with the size' })
  @ApiOkResponse({ type: MembersViewDto })
  members(@Param('segmentId') segmentId: string, @Query() query: MembersQuery): Promise<MembersView> {
    return this.segments.members(segmentId, query.after, query.limit);
  }
}

import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@meridian/shared';
import { BatchProgressUseCase } from '../application/batch-progress.use-case';
import { CampaignStats, CampaignStatsUseCase } from '../application/campaign-stats.use-case';
import type { BatchRun } from '../application/ports/batch-runs.port';
import { DefineCampaignUseCase } from '../application/define-campaign.use-case';
import { MoveCampaignUseCase } from '../application/move-campaign.use-case';
import { ReadCampaignsUseCase } from '../application/read-campaigns.use-case';
import type { StoredCampaign } from '../domain/stored-campaign';

/** Who defines and runs campaigns (CONTRACTS.md: MARKETING, ADMIN). */
const WRITERS = ['MARKETING', 'ADMIN'] as const;
/** Campaigns are rules and counters, not customer data: those who judge them read them too. */
const READERS = [...WRITERS, 'EXECUTIVE', 'AUDITOR'] as const;

@ApiTags('campaigns')
@ApiBearerAuth()
@Controller('v1/campaigns')
export class CampaignsController {
  constructor(
    private readonly define: DefineCampaignUseCase,
    private readonly move: MoveCampaignUseCase,
    private readonly read: ReadCampaignsUseCase,
    private readonly stats: CampaignStatsUseCase,
    private readonly batch: BatchProgressUseCase,
  ) {}

  @Post()
  @Roles(...WRITERS)
  @ApiOperation({ summary: 'Define a campaign (DRAFT): trigger, audience rule, channels, templates and variants, offer, dates, budget, costs, control share, caps, goal, window, target; 400 names each field and rule' })
  @ApiCreatedResponse({ description: 'the campaign as stored, DRAFT, version 1' })
  create(@Body() body: unknown, @CurrentPrincipal() by: Principal): Promise<StoredCampaign> {
    return this.define.execute(body, by);
  }

  @Get()
  @Roles(...READERS)
  @ApiOperation({ summary: 'Every campaign, newest first' })
  async list(): Promise<StoredCampaign[]> {
    return this.read.execute();
  }

  @Get(':campaignId')
  @Roles(...READERS)
  @ApiOkResponse({ description: 'the campaign' })
  @ApiNotFoundResponse({ description: 'no such campaign' })
  async get(@Param('campaignId') campaignId: string): Promise<StoredCampaign> {
    return (await this.read.execute(campaignId))[0];
  }

  @Put(':campaignId')
  @Roles(...WRITERS)
  @ApiOperation({ summary: 'Edit a campaign (its version goes up); an ACTIVE one decides with the edit at once; 409 for a COMPLETED one or an edit that lost a race' })
  @ApiConflictResponse({ description: 'COMPLETED, or changed meanwhile' })
  update(@Param('campaignId') campaignId: string, @Body() body: unknown, @CurrentPrincipal() by: Principal): Promise<StoredCampaign> {
    return this.define.execute(body, by, campaignId);
  }

  @Post(':campaignId/activate')
  @HttpCode(HttpStatus.OK)
  @Roles(...WRITERS)
  @ApiOperation({ summary: 'DRAFT or PAUSED → ACTIVE: its triggers are decided from now on (409 names the moves allowed)' })
  activate(@Param('campaignId') campaignId: string): Promise<StoredCampaign> {
    return this.move.execute(campaignId, 'ACTIVATE');
  }

  @Post(':campaignId/pause')
  @HttpCode(HttpStatus.OK)
  @Roles(...WRITERS)
  @ApiOperation({ summary: 'ACTIVE → PAUSED: its triggers are no longer decided (postponed messages wait for it)' })
  pause(@Param('campaignId') campaignId: string): Promise<StoredCampaign> {
    return this.move.execute(campaignId, 'PAUSE');
  }

  @Get(':campaignId/stats')
  @Roles(...READERS)
  @ApiOperation({ summary: 'The decisions so far: sent, held out as control, suppressed by reason, cost, by channel and by variant' })
  statsOf(@Param('campaignId') campaignId: string): Promise<CampaignStats> {
    return this.stats.execute(campaignId);
  }

  @Get(':campaignId/batch')
  @Roles(...READERS)
  @ApiOperation({ summary: 'A scheduled campaign’s batch run: its instant, partitions done of all, customers read and decided (sent, suppressed, control, postponed), start and end' })
  @ApiNotFoundResponse({ description: 'no batch run (yet) for this campaign' })
  batchOf(@Param('campaignId') campaignId: string): Promise<BatchRun> {
    return this.batch.execute(campaignId);
  }
}

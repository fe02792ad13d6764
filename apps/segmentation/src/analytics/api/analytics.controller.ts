import { ConflictException, Controller, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@meridian/shared';
import { AnalyticsReports, NoClusterSampleError } from '../application/analytics-reports';
import { RefreshClusterSampleUseCase } from '../application/refresh-cluster-sample.use-case';
import { SampleTooSmallError } from '../domain/customer-clusters';
import { BranchScopeQuery, ClustersQuery, CrossSellQuery } from './analytics-queries';
import { ClusterSampleView, ClustersView, RfmBreakpointsAnswerView, CrossSellView, LifecycleDistributionView, TierDistributionView, ValueByBranchView } from './analytics.views';

/** Issue 10: "Analytics are aggregates: EXECUTIVE and MARKETING may read them, no PII in any answer" (and ADMIN). */
const READERS = ['EXECUTIVE', 'MARKETING', 'ADMIN'] as const;

@ApiTags('analytics')
@ApiBearerAuth()
@Controller('v1/analytics')
export class AnalyticsController {
  constructor(
    private readonly reports: AnalyticsReports,
    private readonly refreshSample: RefreshClusterSampleUseCase,
  ) {}

  @Get('tiers')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Customers and AUM per value tier, with shares and each branch’s part (from counters kept as changes happen)' })
  @ApiOkResponse({ type: TierDistributionView })
  tiers(@Query() query: BranchScopeQuery) {
    return this.reports.tiers(query.branchId);
  }

  @Get('lifecycle')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Customers and AUM per lifecycle stage, with shares and each branch’s part' })
  @ApiOkResponse({ type: LifecycleDistributionView })
  lifecycle(@Query() query: BranchScopeQuery) {
    return this.reports.lifecycle(query.branchId);
  }

  @Get('value')
  @Roles(...READERS)
  @ApiOperation({ summary: 'AUM and CLV by branch: totals and per-customer averages (区域客户价值分布)' })
  @ApiOkResponse({ type: ValueByBranchView })
  value(@Query() query: BranchScopeQuery) {
    return this.reports.value(query.branchId);
  }

  @Get('cross-sell')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Cross-sell gaps by tier: for each product type most of a tier hold, the share of the tier without it' })
  @ApiOkResponse({ type: CrossSellView })
  crossSell(@Query() query: CrossSellQuery) {
    return this.reports.crossSell(query.tier);
  }

  @Get('rfm')
  @Roles(...READERS)
  @ApiOperation({ summary: 'RFM breakpoints in force: fixed, or in the quantile mode those the last sweep calibrated from the customer base (quintiles), with when and from how many customers' })
  @ApiOkResponse({ type: RfmBreakpointsAnswerView })
  rfm() {
    return this.reports.rfm();
  }

  @Get('clusters')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Behaviour clusters (k-means over RFM, churn, AUM, products, digital share) of the stored sample; 409 while there is no sample or it holds fewer customers than k' })
  @ApiOkResponse({ type: ClustersView })
  async clusters(@Query() query: ClustersQuery) {
    try {
      return await this.reports.clusters(query.k);
    } catch (error) {
      if (error instanceof NoClusterSampleError || error instanceof SampleTooSmallError) throw new ConflictException({ title: 'no clusters to compute', detail: error.message });
      throw error;
    }
  }

  @Post('clusters/sample')
  @HttpCode(HttpStatus.OK)
  @Roles('ADMIN')
  @ApiOperation({ summary: 'Re-take the cluster sample now (one pass over the customer states; the schedule does it every SEGMENT_CLUSTER_SAMPLE_REFRESH_SECONDS)' })
  @ApiOkResponse({ type: ClusterSampleView })
  async takeSample(): Promise<ClusterSampleView> {
    const sample = await this.refreshSample.takeNow();
    return { sampleSize: sample.vectors.length, customersSeen: sample.customersSeen, documentsRead: sample.documentsRead, takenAt: sample.takenAt, durationMs: sample.durationMs };
  }
}

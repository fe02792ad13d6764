import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LIFECYCLE_STAGES, PRODUCT_TYPES, TIERS } from '@meridian/events';

/** The response shapes of /v1/analytics (OpenAPI): counts and sums only, never a customer. */
class Computed {
  @ApiProperty({ description: 'When the answer was computed', example: '2026-12-01T08:00:00.000Z' }) asOf!: string;
}

class BranchShareView {
  @ApiProperty({ example: 'BJ001', description: '`-`: branch unknown' }) branchId!: string;
  @ApiProperty() customers!: number;
  @ApiProperty({ description: 'CNY minor units' }) aumMinor!: number;
}

class TierRowView {
  @ApiProperty({ enum: TIERS }) value!: string;
  @ApiProperty() customers!: number;
  @ApiProperty() aumMinor!: number;
  @ApiProperty({ description: 'Of all customers counted, 0–1' }) share!: number;
  @ApiProperty({ type: [BranchShareView] }) byBranch!: BranchShareView[];
}

class StageRowView extends TierRowView {
  @ApiProperty({ enum: LIFECYCLE_STAGES }) declare value: string;
}

export class TierDistributionView extends Computed {
  @ApiProperty() customers!: number;
  @ApiProperty() aumMinor!: number;
  @ApiProperty({ type: [TierRowView] }) rows!: TierRowView[];
}

export class LifecycleDistributionView extends Computed {
  @ApiProperty() customers!: number;
  @ApiProperty() aumMinor!: number;
  @ApiProperty({ type: [StageRowView] }) rows!: StageRowView[];
}

class BranchValueView {
  @ApiProperty() branchId!: string;
  @ApiProperty() customers!: number;
  @ApiProperty() aumMinor!: number;
  @ApiProperty({ description: 'Sum of customer lifetime values (DOMAIN.md: CLV), CNY minor units' }) clvMinor!: number;
  @ApiProperty() averageAumMinor!: number;
  @ApiProperty() averageClvMinor!: number;
}

export class ValueByBranchView extends BranchValueView {
  @ApiProperty({ type: [BranchValueView] }) branches!: BranchValueView[];
  @ApiProperty() asOf!: string;
}

class ProductGapView {
  @ApiProperty({ enum: PRODUCT_TYPES }) productType!: string;
  @ApiProperty() holders!: number;
  @ApiProperty() heldShare!: number;
  @ApiProperty({ description: 'Customers of the tier without it' }) without!: number;
  @ApiProperty({ description: 'The cross-sell gap: share of the tier without it' }) gapShare!: number;
}

class TierGapsView {
  @ApiProperty({ enum: TIERS }) tier!: string;
  @ApiProperty() customers!: number;
  @ApiProperty({ type: [ProductGapView], description: 'Product types held by more than `mostShare` of the tier, largest gap first' }) products!: ProductGapView[];
}

export class CrossSellView extends Computed {
  @ApiProperty({ example: 0.5 }) mostShare!: number;
  @ApiProperty({ type: [TierGapsView] }) tiers!: TierGapsView[];
}

class CentroidView {
  @ApiProperty() r!: number;
  @ApiProperty() f!: number;
  @ApiProperty() m!: number;
  @ApiProperty() churnScore!: number;
  @ApiProperty({ description: 'From the mean of log10(1 + AUM in CNY): a geometric mean' }) aumMinor!: number;
  @ApiProperty() productsHeld!: number;
  @ApiProperty({ description: 'Share of the last 90 days’ transactions through MOBILE, ONLINE or WECHAT' }) digitalShare!: number;
}

class ClusterView {
  @ApiProperty() size!: number;
  @ApiProperty() share!: number;
  @ApiProperty({ type: CentroidView }) centroid!: CentroidView;
  @ApiProperty({ example: 'affluent, digital' }) label!: string;
  @ApiProperty() silhouette!: number;
}

class CandidateView {
  @ApiProperty() k!: number;
  @ApiProperty() silhouette!: number;
}

export class ClustersView extends Computed {
  @ApiProperty({ description: 'When the sample was taken' }) sampleTakenAt!: string;
  @ApiProperty({ description: 'Customers the sample was drawn from' }) customersSeen!: number;
  @ApiProperty() sampleSize!: number;
  @ApiProperty() k!: number;
  @ApiProperty({ enum: ['request', 'silhouette'] }) chosenBy!: string;
  @ApiProperty({ type: [String] }) features!: string[];
  @ApiProperty() silhouette!: number;
  @ApiPropertyOptional({ type: [CandidateView] }) candidates?: CandidateView[];
  @ApiProperty({ type: [ClusterView] }) clusters!: ClusterView[];
}

export class ClusterSampleView {
  @ApiProperty() sampleSize!: number;
  @ApiProperty() customersSeen!: number;
  @ApiProperty() documentsRead!: number;
  @ApiProperty() takenAt!: string;
  @ApiProperty() durationMs!: number;
}

class RfmBreakpointsView {
  @ApiProperty({ type: [Number], description: 'R 5, 4, 3, 2: days since the last transaction at most (rising); none met or no transaction ever: 1', example: [7, 30, 60, 90] }) recencyDays!: number[];
  @ApiProperty({ type: [Number], description: 'F 5, 4, 3, 2: transactions in 90 days at least (falling)', example: [30, 15, 8, 3] }) frequencyCounts!: number[];
  @ApiProperty({ type: [Number], description: 'M 5, 4, 3, 2: their amount in 90 days at least, CNY minor units (falling)' }) monetaryMinor!: number[];
}

class RfmMeasuredView {
  @ApiProperty({ description: 'Customers measured for recency (those who ever transacted)' }) recency!: number;
  @ApiProperty() frequency!: number;
  @ApiProperty() monetary!: number;
}

class RfmCalibrationView {
  @ApiProperty({ description: 'The sweep (its instant) that measured the base' }) sweepId!: string;
  @ApiProperty() calibratedAt!: string;
  @ApiProperty({ type: RfmMeasuredView }) measured!: RfmMeasuredView;
  @ApiProperty({ description: 'State documents the measurement read' }) documentsRead!: number;
}

export class RfmBreakpointsAnswerView extends Computed {
  @ApiProperty({ enum: ['FIXED', 'QUANTILE'], description: 'SEGMENT_RFM_MODE' }) mode!: string;
  @ApiProperty({ type: RfmBreakpointsView }) breakpoints!: RfmBreakpointsView;
  @ApiPropertyOptional({ type: RfmCalibrationView, description: 'Quantile mode, once a sweep has calibrated: where the breakpoints came from' }) calibration?: RfmCalibrationView;
}

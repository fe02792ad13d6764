import { Injectable } from '@nestjs/common';
import type { Tier } from '@meridian/events';
import { Clock } from '@meridian/shared';
import { SegmentationConfig } from '../../config/segmentation.config';
import { RfmCalibrations } from '../../segments/application/ports/rfm-calibrations.port';
import { RuleBook } from '../../segments/application/ports/rule-book.port';
import { SegmentAnalytics } from '../../segments/application/ports/segment-analytics.port';
import { crossSellGaps } from '../domain/cross-sell-gaps';
import { CustomerClusters, customerClusters } from '../domain/customer-clusters';
import { lifecycleDistribution } from '../domain/lifecycle-distribution';
import { tierDistribution } from '../domain/tier-distribution';
import { valueByBranch } from '../domain/value-by-branch';
import { ClusterSample, ClusterSampleStore } from './ports/cluster-sample-store.port';

export type Stamped<T> = T & { asOf: string };

export class NoClusterSampleError extends Error {}

/**
 * The analytics answers (issue 10): distributions, value and cross-sell gaps from the
 * counters kept as changes happen (one HGETALL, never a scan), clusters from the stored
 * sample; each stamped with when it was computed (clusters: with when the sample was taken).
 */
@Injectable()
export class AnalyticsReports {
  private sample?: ClusterSample;
  private clustered = new Map<string, CustomerClusters>();

  constructor(
    private readonly analytics: SegmentAnalytics,
    private readonly samples: ClusterSampleStore,
    private readonly clock: Clock,
    private readonly config: SegmentationConfig,
    private readonly ruleBook: RuleBook,
    private readonly calibrations: RfmCalibrations,
  ) {}

  /** RFM's breakpoints in force (what R, F and M 5…2 mean now), and in the quantile mode the calibration they came from. */
  async rfm() {
    const [{ numbers }, calibration] = await Promise.all([this.ruleBook.current(), this.config.rules.rfmMode === 'QUANTILE' ? this.calibrations.current() : undefined]);
    const { recencyDays, frequencyCounts, monetaryMinor } = numbers.rfmBreakpoints;
    return {
      asOf: this.clock.now().toISOString(),
      mode: this.config.rules.rfmMode,
      breakpoints: { recencyDays: [...recencyDays], frequencyCounts: [...frequencyCounts], monetaryMinor: [...monetaryMinor] },
      ...(calibration && { calibration: { sweepId: calibration.sweepId, calibratedAt: calibration.calibratedAt, measured: calibration.measured, documentsRead: calibration.documentsRead } }),
    };
  }

  private async stamped<T extends object>(report: (counters: Record<string, number>) => T): Promise<Stamped<T>> {
    const counters = await this.analytics.counters();
    return { asOf: this.clock.now().toISOString(), ...report(counters) };
  }

  tiers(branchId?: string) {
    return this.stamped((c) => tierDistribution(c, { branchId }));
  }

  lifecycle(branchId?: string) {
    return this.stamped((c) => lifecycleDistribution(c, { branchId }));
  }

  value(branchId?: string) {
    return this.stamped((c) => valueByBranch(c, { branchId }));
  }

  crossSell(tier?: Tier) {
    return this.stamped((c) => ({ mostShare: this.config.SEGMENT_CROSS_SELL_MOST_SHARE, tiers: crossSellGaps(c, { tier, mostShare: this.config.SEGMENT_CROSS_SELL_MOST_SHARE }) }));
  }

  /** Deterministic for a sample and k, so answers are kept per sample (re-read when another instance re-took it). */
  async clusters(k?: number): Promise<Stamped<CustomerClusters> & { sampleTakenAt: string; customersSeen: number }> {
    const takenAt = await this.samples.takenAt();
    if (!takenAt) throw new NoClusterSampleError('the cluster sample has not been taken yet');
    if (this.sample?.takenAt !== takenAt) {
      this.sample = await this.samples.load();
      this.clustered = new Map();
      if (!this.sample) throw new NoClusterSampleError('the cluster sample has not been taken yet');
    }
    const sample = this.sample;
    const key = String(k ?? 'auto');
    let answer = this.clustered.get(key);
    if (!answer) {
      const c = this.config;
      answer = customerClusters(sample.vectors, { k, autoKMax: c.SEGMENT_CLUSTER_AUTO_K_MAX, seed: c.SEGMENT_CLUSTER_SEED, silhouettePoints: c.SEGMENT_CLUSTER_SILHOUETTE_POINTS, maxIterations: c.SEGMENT_CLUSTER_MAX_ITERATIONS });
      this.clustered.set(key, answer);
    }
    return { asOf: this.clock.now().toISOString(), sampleTakenAt: sample.takenAt, customersSeen: sample.customersSeen, ...answer };
  }
}

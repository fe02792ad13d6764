import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@meridian/shared';
import { SegmentationConfig } from '../../config/segmentation.config';
import { CLUSTER_FEATURES, clusterVector } from '../domain/cluster-features';
import { ReservoirSample, seededRandom } from '../domain/reservoir-sample';
import { ClusterSample, ClusterSampleStore } from './ports/cluster-sample-store.port';

const SIGNIFICANT = 1e6;

/**
 * Re-takes the behaviour sample: one cursor pass over segment_states into a reservoir of
 * `SEGMENT_CLUSTER_SAMPLE_SIZE` vectors (seeded, so the same states in the same order give
 * the same sample), stored by _id. One pass at a time per instance; `ifOlderThanMs` skips
 * it when another instance (or this one) took the sample recently.
 */
@Injectable()
export class RefreshClusterSampleUseCase {
  private readonly logger = new Logger('RefreshClusterSample');
  private running?: Promise<ClusterSample | undefined>;

  constructor(
    private readonly store: ClusterSampleStore,
    private readonly clock: Clock,
    private readonly config: SegmentationConfig,
  ) {}

  /** Takes the sample unless the stored one is younger than `ifOlderThanMs` (undefined then); one pass at a time. */
  execute(options: { ifOlderThanMs?: number } = {}): Promise<ClusterSample | undefined> {
    this.running ??= this.refresh(options).finally(() => (this.running = undefined));
    return this.running;
  }

  /** Takes it now, after the pass under way if there is one. */
  async takeNow(): Promise<ClusterSample> {
    await this.running?.catch(() => undefined);
    const pass = this.take();
    this.running = pass.finally(() => (this.running = undefined));
    return pass;
  }

  private async refresh({ ifOlderThanMs }: { ifOlderThanMs?: number }): Promise<ClusterSample | undefined> {
    if (ifOlderThanMs !== undefined) {
      const takenAt = await this.store.takenAt();
      if (takenAt && this.clock.now().getTime() - Date.parse(takenAt) < ifOlderThanMs) return undefined;
    }
    return this.take();
  }

  private async take(): Promise<ClusterSample> {
    const started = this.clock.now().getTime();
    const reservoir = new ReservoirSample<number[]>(this.config.SEGMENT_CLUSTER_SAMPLE_SIZE, seededRandom(this.config.SEGMENT_CLUSTER_SEED));
    const documentsRead = await this.store.forEachActiveState((state) => reservoir.offer(clusterVector(state).map((x) => Math.round(x * SIGNIFICANT) / SIGNIFICANT)));
    const finished = this.clock.now();
    const sample: ClusterSample = { features: CLUSTER_FEATURES, vectors: reservoir.items, customersSeen: reservoir.seen, documentsRead, takenAt: finished.toISOString(), durationMs: finished.getTime() - started };
    await this.store.save(sample);
    this.logger.log(`cluster sample taken: ${sample.vectors.length} of ${sample.customersSeen} customers, ${documentsRead} documents read in ${sample.durationMs} ms`);
    return sample;
  }
}

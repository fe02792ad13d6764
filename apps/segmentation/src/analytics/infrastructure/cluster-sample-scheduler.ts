import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ScheduledJob } from '@meridian/shared';
import { SegmentationConfig } from '../../config/segmentation.config';
import { RefreshClusterSampleUseCase } from '../application/refresh-cluster-sample.use-case';

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;
/** A sample younger than this share of the interval is fresh: an instance starting, or a schedule firing, right after another took it does not read everything again. */
const FRESH_SHARE = 0.9;

/**
 * The cluster sample re-taken every `SEGMENT_CLUSTER_SAMPLE_REFRESH_SECONDS` (a BullMQ job
 * scheduler: once across instances), and at start when the stored one is missing or stale.
 * At bootstrap MongoDB may not be connected yet (the connection keeps retrying): the start
 * pass retries with capped backoff until it runs or the service stops.
 */
@Injectable()
export class ClusterSampleScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ClusterSampleScheduler');
  private readonly job: ScheduledJob;
  private readonly freshMs: number;
  private stopping = false;
  private retry?: NodeJS.Timeout;

  constructor(
    private readonly refresh: RefreshClusterSampleUseCase,
    config: SegmentationConfig,
  ) {
    const everyMs = config.SEGMENT_CLUSTER_SAMPLE_REFRESH_SECONDS * 1_000;
    this.freshMs = everyMs * FRESH_SHARE;
    this.job = new ScheduledJob({ name: 'segmentation-cluster-sample', everyMs, redisUrl: config.REDIS_URL, prefix: config.redisPrefix, run: () => this.refresh.execute({ ifOlderThanMs: this.freshMs }) });
  }

  onApplicationBootstrap(): void {
    this.job.onApplicationBootstrap();
    this.startPass(FIRST_RETRY_MS);
  }

  private startPass(nextDelayMs: number): void {
    if (this.stopping) return;
    this.refresh.execute({ ifOlderThanMs: this.freshMs }).catch((error: Error) => {
      this.logger.warn(`cluster sample not taken at start (again in ${nextDelayMs} ms): ${error.message}`);
      if (this.stopping) return;
      this.retry = setTimeout(() => this.startPass(Math.min(MAX_RETRY_MS, nextDelayMs * 2)), nextDelayMs);
      this.retry.unref();
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.retry);
    await this.job.stop();
  }
}

import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConsumptionControl } from '@meridian/shared';
import { SegmentationConfig } from '../../config/segmentation.config';
import { DerivedDataGate, DerivedDataMetrics, DerivedDataStore } from '../application/ports/derived-data.port';
import { RebuildDerivedDataUseCase } from '../application/rebuild-derived-data.use-case';

const HOLD = 'segmentation-derived-data';
/** A dependency down at start is retried every SEGMENT_REBUILD_WAIT_MS; its warning is logged once per so many attempts. */
const LOG_EVERY_ATTEMPTS = 30;

/**
 * Keeps the data derived from segment_states built (ADR 0009). At start — before the consumer
 * takes a record: it starts held — and whenever the marker is found gone (every
 * SEGMENT_DERIVED_CHECK_SECONDS, or at once when a write was refused for want of it), the
 * stream's consumption is held, the run under way finished or abandoned uncommitted, and one
 * instance (the rebuild lease) rebuilds while the others wait for the marker; then consumption
 * goes on. The sweep and back-fills wait for it too (whenBuilt). Redis or MongoDB not
 * answering: tried again every SEGMENT_REBUILD_WAIT_MS, consumption still held.
 */
@Injectable()
export class DerivedDataKeeper extends DerivedDataGate implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DerivedData');
  private ensuring?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private stopping = false;

  constructor(
    private readonly store: DerivedDataStore,
    private readonly rebuild: RebuildDerivedDataUseCase,
    private readonly control: ConsumptionControl,
    private readonly metrics: DerivedDataMetrics,
    private readonly config: SegmentationConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    // Synchronously, before Nest starts the consumer: it starts held.
    void this.ensure();
    this.timer = setInterval(() => void this.check(), this.config.SEGMENT_DERIVED_CHECK_SECONDS * 1_000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    this.stopping = true;
    clearInterval(this.timer);
  }

  async whenBuilt(): Promise<string> {
    for (;;) {
      await this.ensuring;
      const marker = await this.store.marker();
      if (marker !== undefined) return marker;
      if (this.stopping) throw new Error('the service is stopping: the derived data is not built');
      await this.ensure();
    }
  }

  lost(): void {
    void this.check();
  }

  /** The cheap check: the marker's existence. */
  private async check(): Promise<void> {
    if (this.ensuring || this.stopping) return;
    try {
      if ((await this.store.marker()) !== undefined) return;
    } catch {
      return; // Redis not answering: /health says so, and the next check looks again
    }
    if (this.ensuring) return;
    this.logger.error('the data derived from segment_states (counters, member sets, due index) is gone from Redis — did it restart without persistence? Consumption held until it is rebuilt');
    void this.ensure();
  }

  private ensure(): Promise<void> {
    if (!this.ensuring) {
      this.metrics.built(false);
      // untilBuilt takes the hold before its first await: the consumer is held from this call on.
      this.ensuring = this.untilBuilt()
        .catch((error: Error) => this.logger.error(`the derived data was not rebuilt (the next check tries again): ${error.message}`))
        .finally(() => (this.ensuring = undefined));
    }
    return this.ensuring;
  }

  private async untilBuilt(): Promise<void> {
    await this.control.hold(HOLD);
    let waitingLogged = false;
    for (let attempt = 1; !this.stopping; attempt++) {
      try {
        const marker = await this.store.marker();
        if (marker !== undefined) {
          this.logger.log(`derived data built: ${marker}`);
          this.metrics.built(true);
          this.control.release(HOLD);
          return;
        }
        const token = await this.store.acquire();
        if (token) {
          await this.rebuildHolding(token);
          continue; // the marker, looked at again at once
        }
        if (!waitingLogged) {
          waitingLogged = true;
          this.logger.log('the derived data is being rebuilt by another instance: waiting for it, consumption held');
        }
      } catch (error) {
        // Redis or MongoDB not there (yet): said once, then every so many attempts.
        if (attempt % LOG_EVERY_ATTEMPTS === 1) this.logger.warn(`derived data not built yet (attempt ${attempt}; trying every ${this.config.SEGMENT_REBUILD_WAIT_MS} ms): ${(error as Error).message}`);
      }
      await sleep(this.config.SEGMENT_REBUILD_WAIT_MS);
    }
  }

  private async rebuildHolding(token: string): Promise<void> {
    this.logger.warn('no marker of the derived data in Redis: rebuilding it from segment_states (one pass), consumption held');
    try {
      const outcome = await this.rebuild.execute(() => this.store.renew(token), token);
      this.metrics.finished(outcome.committed ? 'done' : 'superseded');
      this.logger.log(`derived data rebuilt from ${outcome.states} states (${outcome.active} active)${outcome.committed ? '' : ': another instance’s build came first, this one dropped'}`);
    } catch (error) {
      this.metrics.finished('failed');
      throw error;
    } finally {
      await this.store.release(token).catch(() => undefined);
    }
  }
}

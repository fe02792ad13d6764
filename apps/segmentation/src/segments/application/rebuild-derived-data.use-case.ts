import { hostname } from 'node:os';
import { Injectable, Logger } from '@nestjs/common';
import { Clock, leaseKeptDuring } from '@meridian/shared';
import { SegmentationConfig } from '../../config/segmentation.config';
import { DerivedContribution, addCounters, derivedContribution } from '../domain/derived-contribution';
import { DerivedDataMetrics, DerivedDataStore } from './ports/derived-data.port';
import { RuleBook } from './ports/rule-book.port';
import { SegmentStateStore } from './ports/segment-state-store.port';

export interface RebuildOutcome {
  /** Documents read (tombstones included) and ACTIVE ones counted. */
  states: number;
  active: number;
  /** False when another instance's build was swapped in first (this one is dropped). */
  committed: boolean;
}

/**
 * Rebuilds everything segmentation derives from segment_states into Redis (ADR 0009): one
 * cursor pass in `_id` order, each document's contribution (domain/derived-contribution.ts)
 * written into fresh keys a step at a time, the counters summed as it goes, and all of it
 * swapped in with the marker at the end — a crash midway leaves the fresh keys unseen and the
 * marker missing, so the next holder starts again. The caller holds the rebuild lease (and
 * the stream, sweep and back-fills still): `renew` is called after every step.
 */
@Injectable()
export class RebuildDerivedDataUseCase {
  private readonly logger = new Logger('DerivedDataRebuild');

  constructor(
    private readonly states: SegmentStateStore,
    private readonly store: DerivedDataStore,
    private readonly ruleBook: RuleBook,
    private readonly metrics: DerivedDataMetrics,
    private readonly config: SegmentationConfig,
    private readonly clock: Clock,
  ) {}

  async execute(renew: () => Promise<boolean>, leaseToken: string): Promise<RebuildOutcome> {
    const startedAt = this.clock.now();
    const { numbers } = await this.ruleBook.current();
    const build = await this.store.begin(leaseToken);
    const counters: Record<string, number> = {};
    let [states, active, last] = [0, 0, undefined as string | undefined];
    this.metrics.progress(0);
    // Renewed on a timer too: the cursor's first page costs FerretDB v1 a full scan and sort, with no turn to renew in.
    await leaseKeptDuring(renew, (this.config.SEGMENT_REBUILD_LOCK_SECONDS * 1_000) / 4, async () => {
      for await (const page of this.states.scan(undefined, this.config.SEGMENT_REBUILD_BATCH)) {
        const contributions: DerivedContribution[] = [];
        for (const doc of page) {
          if (last !== undefined && doc._id <= last) continue; // a cursor that hands a document twice: counted once
          last = doc._id;
          const contribution = derivedContribution(doc, numbers);
          addCounters(counters, contribution.counters);
          contributions.push(contribution);
          if (doc.status === 'ACTIVE') active++;
        }
        await build.add(contributions);
        states += contributions.length;
        this.metrics.progress(states);
        if (!(await renew())) throw new Error('the rebuild lease lapsed (another instance holds it now)');
        this.logger.log(`rebuilding the derived data: ${states} states read, up to ${last}`);
      }
    });
    const marker = JSON.stringify({ builtAt: this.clock.now().toISOString(), builtBy: `${hostname()}:${process.pid}`, states, active, tookMs: this.clock.now().getTime() - startedAt.getTime() });
    const committed = await build.commit(counters, marker);
    return { states, active, committed };
  }
}
